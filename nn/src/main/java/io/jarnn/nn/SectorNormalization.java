package io.jarnn.nn;

/**
 * The renormalisation of {@link SectorRule} on one site's logits, in the precision of the model
 * (one source for both): the allowed local indices lo..hi keep
 * {@code x[k] - (1/p) log sum exp(p x[k'])} over the allowed k', the forbidden ones get -infinity.
 */
final class SectorNormalization {
    private SectorNormalization() {
    }

    /**
     * Writes the masked logPsi of one site: logits {@code x[xOff + k xStride]}, results
     * {@code out[outOff + k outStride]}, k = 0..ls-1, with lo..hi allowed. The log-sum-exp
     * subtracts the largest allowed logit first, so the sum is at least one and a finite row
     * never overflows; a non-finite allowed logit gives non-finite allowed results, for the
     * callers' checks to report. Reads all of x before writing out, so they may alias.
     */
    static void maskedLogNormalize(float[] x, int xOff, int xStride, float[] out, int outOff, int outStride,
                                   int ls, int lo, int hi, float p) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = lo; k <= hi; k++) {
            max = Math.max(max, x[xOff + k * xStride]);
        }
        double sum = 0;
        for (int k = lo; k <= hi; k++) {
            sum += Math.exp(p * (double) (x[xOff + k * xStride] - max));
        }
        float shift = (float) (Math.log(sum) / p);
        for (int k = 0; k < ls; k++) {
            int o = outOff + k * outStride;
            out[o] = k < lo || k > hi ? Float.NEGATIVE_INFINITY : (x[xOff + k * xStride] - max) - shift;
        }
    }

    /**
     * The backward of {@link #maskedLogNormalize} for one site: with P the softmax of {@code p x}
     * over the allowed indices lo..hi, {@code dx[k] = c[k] - P[k] sum_{allowed j} c[j]} for allowed
     * k and {@code dx[k] = 0} for forbidden ones (their logPsi is -infinity whatever the
     * parameters, so their cotangents are dropped). The cotangent is {@code c[cOff + k]}, or, when
     * {@code c} is null, {@code w} at index {@code chosen} and 0 elsewhere (the gather of logPsi).
     * Sums in double, as the forward's.
     */
    static void maskedLogNormalizeBackward(float[] x, int xOff, float[] c, int cOff, int chosen, float w,
                                           float[] dx, int dxOff, int ls, int lo, int hi, float p) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = lo; k <= hi; k++) {
            max = Math.max(max, x[xOff + k]);
        }
        double sum = 0;
        double sumC = 0;
        for (int k = lo; k <= hi; k++) {
            sum += Math.exp(p * (double) (x[xOff + k] - max));
            sumC += c == null ? (k == chosen ? w : 0) : c[cOff + k];
        }
        double q = sumC / sum;
        for (int k = 0; k < ls; k++) {
            if (k < lo || k > hi) {
                dx[dxOff + k] = 0;
            } else {
                double ck = c == null ? (k == chosen ? w : 0) : c[cOff + k];
                dx[dxOff + k] = (float) (ck - Math.exp(p * (double) (x[xOff + k] - max)) * q);
            }
        }
    }
}
