package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;

/**
 * The one rule that confines a model to a constrained space's sector (see
 * {@link HilbertSpace#localIndexTotal()}), used by the full forward, the per-site cache and the
 * sampler alike.
 *
 * <p>At site i, with the local indices of sites 0..i-1 adding to {@code before}, a local index k
 * is allowed when the {@code r = N-i-1} later sites can still add the rest,
 * {@code 0 <= total - before - k <= r (localSize-1)}: the allowed indices are the range
 * {@link #lowest} .. {@link #highest} (empty when the prefix already left the sector). On the
 * allowed ones the logits x are renormalised in log space honouring the machine power p,
 * <pre>
 *   logPsi[k] = x[k] - (1/p) log sum_{allowed k'} exp(p x[k'])      (k allowed)
 *   logPsi[k] = -infinity                                            (k forbidden)
 * </pre>
 * so the conditionals exp(p logPsi) sum to one over the allowed states and are 0 elsewhere. A
 * site whose range is every local state is left as the unconstrained normalisation wrote it.
 */
final class SectorRule {
    private SectorRule() {
    }

    /** The smallest allowed local index at {@code site} after a prefix of index sum {@code before}. */
    static int lowest(HilbertSpace h, int site, int before) {
        long rest = (long) (h.size() - site - 1) * (h.localSize() - 1);
        return (int) Math.max(0, h.localIndexTotal() - before - rest);
    }

    /** The largest allowed local index (smaller than {@link #lowest} when none is). */
    static int highest(HilbertSpace h, int site, int before) {
        return Math.min(h.localSize() - 1, h.localIndexTotal() - before);
    }

    /** Whether indices lo..hi are all {@code ls} local states, i.e. the site needs no correction. */
    static boolean allAllowed(int lo, int hi, int ls) {
        return lo == 0 && hi == ls - 1;
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
}
