package io.jarnn.properties;

import io.jarnn.core.Tensor;

import java.util.Arrays;

/** Row extraction and printing for failure messages: the input that failed, not just an index. */
final class ConditionalRows {
    private ConditionalRows() {
    }

    /** Row {@code b} of a (batch, N) tensor of configurations. */
    static float[] configuration(Tensor x, int b) {
        int n = x.dim(1);
        return Arrays.copyOfRange(x.array(), x.offset() + b * n, x.offset() + (b + 1) * n);
    }

    /** Row (b, i) of a (batch, N, localSize) tensor of conditionals. */
    static float[] conditional(Tensor c, int b, int i) {
        int n = c.dim(1);
        int ls = c.dim(2);
        int from = c.offset() + (b * n + i) * ls;
        return Arrays.copyOfRange(c.array(), from, from + ls);
    }

    static String text(float[] row) {
        return Arrays.toString(row);
    }

    /** "input row 2 = [1.0, -1.0, 1.0]" */
    static String input(Tensor x, int b) {
        return "input row " + b + " = " + text(configuration(x, b));
    }

    /** Whether two rows are equal bit for bit. */
    static boolean bitwiseEqual(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            if (Float.floatToIntBits(a[k]) != Float.floatToIntBits(b[k])) {
                return false;
            }
        }
        return true;
    }
}
