package io.jarnn.core;

/**
 * Conversions between {@link Tensor} and {@link Tensor64}, the one place where the two
 * precisions meet. Widening is exact. Narrowing rounds to nearest and refuses a finite value
 * beyond float range rather than turning it into an infinity.
 */
public final class PrecisionConversion {
    private PrecisionConversion() {
    }

    /** An exact float64 copy of {@code t}. */
    public static Tensor64 widen(Tensor t) {
        double[] out = new double[t.size()];
        float[] in = t.array();
        int off = t.offset();
        for (int i = 0; i < out.length; i++) {
            out[i] = in[off + i];
        }
        return Tensor64.wrap(out, t.shape());
    }

    /**
     * A float32 copy of {@code t}, each element rounded to nearest; infinities and NaN stay
     * what they are.
     *
     * @throws IllegalArgumentException naming the first element whose finite value overflows
     *                                  float32
     */
    public static Tensor narrow(Tensor64 t) {
        float[] out = new float[t.size()];
        double[] in = t.array();
        int off = t.offset();
        for (int i = 0; i < out.length; i++) {
            double v = in[off + i];
            out[i] = (float) v;
            if (overflowsFloat32(v)) {
                throw new IllegalArgumentException("array: element " + i + " (" + v
                        + ") is beyond float32 range (|x| <= " + Float.MAX_VALUE + "); keep it in float64");
            }
        }
        return Tensor.wrap(out, t.shape());
    }

    /**
     * Whether {@code value} is finite but rounds to an infinity in float32: the one value
     * narrowing refuses, here and wherever else float64 data becomes float32 (reading a
     * {@code '<f8'} file as float32, say), so that all such places follow one rule.
     */
    public static boolean overflowsFloat32(double value) {
        return Double.isFinite(value) && Float.isInfinite((float) value);
    }
}
