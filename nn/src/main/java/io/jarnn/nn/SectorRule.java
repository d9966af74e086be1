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
 * The renormalisation itself, which computes in the model's precision, is
 * {@link SectorNormalization}; this class is only the index arithmetic, shared by both.
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
}
