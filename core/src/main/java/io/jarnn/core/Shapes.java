package io.jarnn.core;

/** Formatting and checks of shapes shared by every error message in jarnn. */
public final class Shapes {
    private Shapes() {
    }

    /** {@code (2, 3, 4)}: the way NumPy prints a shape, so messages read alike in both worlds. */
    public static String format(int... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /** Throws naming {@code argument} unless {@code value >= min}. */
    public static int requireAtLeast(String argument, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(argument + ": expected >= " + min + " but got " + value);
        }
        return value;
    }
}
