package io.jarnn.core;

import java.util.Locale;

/**
 * The two element types jarnn computes in. float32 is jarnn's historical precision and the
 * faster one (twice the lanes per vector); float64 is NetKet's default ({@code param_dtype}
 * of its ARNNs) and what stochastic reconfiguration wants. Each model, tensor and file has one.
 */
public enum DType {
    FLOAT32("float32", "<f4", Float.BYTES),
    FLOAT64("float64", "<f8", Double.BYTES);

    private final String label;
    private final String npyDescr;
    private final int bytes;

    DType(String label, String npyDescr, int bytes) {
        this.label = label;
        this.npyDescr = npyDescr;
        this.bytes = bytes;
    }

    /** NumPy's name, as in {@code a.dtype.name}: {@code "float32"} or {@code "float64"}. */
    public String label() {
        return label;
    }

    /** The little-endian descr of a {@code .npy} header, {@code "<f4"} or {@code "<f8"}. */
    public String npyDescr() {
        return npyDescr;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /**
     * The dtype NumPy calls {@code name} ({@code float32}, {@code float64}, also {@code f4},
     * {@code f8}, any case).
     *
     * @throws IllegalArgumentException naming {@code argument} for anything else
     */
    public static DType parse(String argument, String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "float32", "f4", "<f4" -> FLOAT32;
            case "float64", "f8", "<f8" -> FLOAT64;
            default -> throw new IllegalArgumentException(argument + ": expected float32 or float64 but got '"
                    + name + "'");
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
