package io.jarnn.core.npy;

import io.jarnn.core.DType;
import io.jarnn.core.PrecisionConversion;
import java.nio.ByteBuffer;

/**
 * The element types jarnn reads from {@code .npy} files, and the precision each is held in.
 * {@code <f8} is a float64 array and {@code <f4} a float32 one, bit for bit. Integers become
 * float32 (configurations of local values are small integers): exact up to 2^24 in magnitude,
 * rounded to nearest beyond. Asked for another precision than the stored one, a reader
 * converts: to float64 exactly (integers up to 2^53), to float32 by the rule of
 * {@link PrecisionConversion#narrow}, which refuses a finite value beyond float range.
 */
enum NpyDtype {
    FLOAT32("f4", 4),
    FLOAT64("f8", 8),
    INT8("i1", 1),
    UINT8("u1", 1),
    INT16("i2", 2),
    INT32("i4", 4),
    INT64("i8", 8);

    private static final String SUPPORTED = "'<f4', '<f8', '|i1', '|u1', '<i2', '<i4', '<i8'";

    private final String code;
    private final int itemSize;

    NpyDtype(String code, int itemSize) {
        this.code = code;
        this.itemSize = itemSize;
    }

    int itemSize() {
        return itemSize;
    }

    /** The descr NumPy writes for this type: '|' for single bytes, '<' otherwise. */
    String descr() {
        return (itemSize == 1 ? "|" : "<") + code;
    }

    /**
     * The type named by a NumPy descr such as {@code '<f4'}. Multi-byte types must be
     * little-endian ('<'); for single-byte types the byte-order character is irrelevant and
     * any of '<', '>', '|', '=' is accepted.
     */
    static NpyDtype parse(String descr, String source) throws NpyFormatException {
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        String code = descr.length() > 1 ? descr.substring(1) : "";
        NpyDtype type = null;
        for (NpyDtype t : values()) {
            if (t.code.equals(code)) {
                type = t;
            }
        }
        if (type == null || "<>|=".indexOf(order) < 0) {
            throw new NpyFormatException(source, "unsupported dtype '" + descr + "'; expected one of "
                    + SUPPORTED + " (convert with a.astype('<f4'))");
        }
        if (type.itemSize == 1 || order == '<') {
            return type;
        }
        String problem = switch (order) {
            case '>' -> "big-endian dtype '" + descr + "' is not supported; expected little-endian '<" + code
                    + "' (convert with a.astype('<" + code + "'))";
            case '=' -> "dtype '" + descr + "' has native byte order, which a file cannot pin down; expected '<"
                    + code + "'";
            default -> "dtype '" + descr + "' has no byte order but is " + type.itemSize + " bytes wide; expected '<"
                    + code + "'";
        };
        throw new NpyFormatException(source, problem);
    }

    /** The precision an array of this type is held in as stored: float64 for {@code <f8}, else float32. */
    DType storedPrecision() {
        return this == FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
    }

    /** Told of a finite float64 value that float32 cannot hold; throws to stop the read. */
    @FunctionalInterface
    interface Overflow {
        void at(int index, double value) throws NpyFormatException;
    }

    /**
     * Converts {@code count} little-endian elements starting at {@code bytes}' position into
     * {@code out[offset ...]}, advancing the position. A {@code <f8} value that overflows
     * float32 ({@link PrecisionConversion#overflowsFloat32}) goes to {@code overflow} with its
     * index in {@code out}.
     */
    void decode(ByteBuffer bytes, float[] out, int offset, int count, Overflow overflow)
            throws NpyFormatException {
        int end = offset + count;
        switch (this) {
            case FLOAT32 -> {
                bytes.asFloatBuffer().get(out, offset, count);
                bytes.position(bytes.position() + 4 * count);
            }
            case FLOAT64 -> {
                for (int i = offset; i < end; i++) {
                    double v = bytes.getDouble();
                    if (PrecisionConversion.overflowsFloat32(v)) {
                        overflow.at(i, v);
                    }
                    out[i] = (float) v;
                }
            }
            case INT8 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.get();
                }
            }
            case UINT8 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.get() & 0xFF;
                }
            }
            case INT16 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.getShort();
                }
            }
            case INT32 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.getInt();
                }
            }
            case INT64 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.getLong();
                }
            }
        }
    }

    /**
     * As {@link #decode(ByteBuffer, float[], int, int, Overflow)} into float64: {@code <f8} bit
     * for bit, {@code <f4} and integers up to 2^53 exactly, {@code <i8} beyond rounded to nearest.
     */
    void decode(ByteBuffer bytes, double[] out, int offset, int count) {
        int end = offset + count;
        switch (this) {
            case FLOAT64 -> {
                bytes.asDoubleBuffer().get(out, offset, count);
                bytes.position(bytes.position() + 8 * count);
            }
            case FLOAT32 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.getFloat();
                }
            }
            case INT8 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.get();
                }
            }
            case UINT8 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.get() & 0xFF;
                }
            }
            case INT16 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.getShort();
                }
            }
            case INT32 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.getInt();
                }
            }
            case INT64 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = bytes.getLong();
                }
            }
        }
    }
}
