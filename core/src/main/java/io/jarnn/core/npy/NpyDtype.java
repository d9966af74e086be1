package io.jarnn.core.npy;

import java.nio.ByteBuffer;

/**
 * The element types jarnn reads from {@code .npy} files. Every one is converted to float32:
 * {@code <f8} rounds to nearest (magnitudes beyond float range become infinities), integers
 * convert exactly up to 2^24 and round to nearest beyond (configurations of local values are
 * small integers, so this is lossless in practice).
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

    /**
     * Converts {@code count} little-endian elements starting at {@code bytes}' position into
     * {@code out[offset ...]}, advancing the position.
     */
    void decode(ByteBuffer bytes, float[] out, int offset, int count) {
        int end = offset + count;
        switch (this) {
            case FLOAT32 -> {
                bytes.asFloatBuffer().get(out, offset, count);
                bytes.position(bytes.position() + 4 * count);
            }
            case FLOAT64 -> {
                for (int i = offset; i < end; i++) {
                    out[i] = (float) bytes.getDouble();
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
