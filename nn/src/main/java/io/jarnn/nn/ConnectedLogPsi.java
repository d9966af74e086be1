package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Shapes;

import java.util.Arrays;

/**
 * {@code log(psi(sigma') / psi(sigma))} for configurations sigma' that differ from a base
 * configuration sigma in a few sites (the connected configurations of an operator's local
 * energy), evaluating only the sites whose conditionals can change.
 *
 * <p>An autoregressive model's conditional at site j depends only on sites before j. If sigma'
 * first differs from sigma at site d and last at site l, the conditionals at sites j &lt;= d are
 * sigma's (only the value chosen at d differs), and so are those at sites j &gt; l + R, where R
 * is how far back the network reaches in site order: the sum over the layers of
 * {@code (K-1)·dilation} for a {@link MaskedConv1D}, of {@code (kh-1)·dh·L + (kw/2)·dw} for a
 * {@link MaskedConv2D} (its farthest tap: kh-1 image rows up and kw/2 columns left, in raster
 * order), the whole chain (R = N) when any layer is dense. So
 * <pre>
 *   log psi(sigma') - log psi(sigma) = sum_{j = d}^{e} [ c_j(sigma') - c_j(sigma) ],   e = min(N-1, l + R),
 * </pre>
 * with {@code c_j} the chosen log-conditional of site j. On a constrained space the sector rule
 * makes site j's conditional depend on the sum of the local indices before j, i.e. on every
 * earlier site: the window above is exact when the changed sites keep their index sum (a hop,
 * an exchange), and otherwise it runs to the last site (e = N-1), which is exact as well.
 *
 * <p>How: {@link #setBase} runs the base configurations through a per-site cache whose layers
 * keep every position ({@link ARNN#newHistoryCache}), keeping each site's log-conditionals.
 * {@link #logRatios} then groups the connected configurations by their first changed site d and
 * takes the groups in decreasing d: one pass per group (per rank, when a row has several
 * configurations with the same d) restarts the cache at site d + 1 and evaluates the window's
 * sites only, every row of the batch at once. A pass rewrites positions from d on, and the
 * passes still to come start earlier, so each finds sigma's positions before its own d intact.
 * The cost per site is the cached path's, independent of N for a convolution: for the
 * transverse-field Ising chain of 20 sites with three kernel-3 layers (R = 6) a sample costs about
 * 120 site evaluations instead of 420.
 *
 * <p>Within a pass each layer runs only where its outputs can differ from the base's: layer l's
 * outputs depend on the sites up to R_0 + ... + R_l back (R_l its own reach), so past
 * {@code last + R_0 + ... + R_l} (last: the pass's last changed site) they are the base's. There
 * a site starts at the first layer that still sees a change, whose input at that position is
 * restored from the cache's baseline, a copy of the base's inputs kept by {@link #setBase}
 * ({@link LayerCache#saveBaseline}): one block copy instead of the layers below. For the chain
 * above, per pass, layer 0 runs at 2 sites, layer 1 at 4 and layer 2 at 6 instead of 6 each (a
 * third fewer multiply-adds, half the selu exponentials). The skipped outputs are the ones a
 * recomputation would give bit for bit (same inputs, same products), so the result does not
 * change. On a constrained space a pass whose index sum changed runs past every layer's window
 * to the last site: there the base's logits, kept by {@link #setBase}, are renormalised under
 * the pass's sector rule.
 *
 * <p>A convolutional model of short reach on an unconstrained space skips the cache altogether
 * ({@link ContextTable}): site j's conditional depends only on the R sites before it (fewer
 * before site R), the same function of them at every site from R on, so the model is evaluated
 * once per context (localSize^R of them, at most {@link ContextTable#MAX_CONTEXTS}) through the
 * same per-site path, on the first {@link #setBase} after a model change, and every conditional
 * of the base and of the windows is looked up by the context it sees; the windows are summed in
 * the same order, so the results are the cache path's, bit for bit. For the chain above (R = 6,
 * 64 contexts) that is 7 site evaluations of one block per model, where the cache path took
 * about 120 per sample.
 *
 * <p>{@link #setModel} takes a model of the same configuration (the next VMC step's) into the
 * same buffers.
 *
 * <p>Accuracy: the per-site path adds the products in another order than the full forward, and
 * the ratio is a sum over the window instead of a difference of two sums over N sites. The
 * result agrees with {@code logPsi(sigma') - logPsi(sigma)} from {@link ARNN#conditionalsLogPsi}
 * (summed in double) to within {@code 1e-4 (1 + |log psi(sigma)|)} in float32 and
 * {@code 1e-10 (1 + |log psi(sigma)|)} in float64 (the tests hold it there; typical differences
 * are a few units in the last place of the per-site log-conditionals); a configuration outside a
 * constrained space's sector gives {@code -infinity}, as there.
 *
 * <p>Owned by one thread at a time (the model itself is immutable); all buffers are allocated
 * once, here: {@link #setBase} and {@link #logRatios} allocate nothing.
 */
public final class ConnectedLogPsi {
    private ARNN model;
    private final HilbertSpace hilbert;
    private final int batch;
    private final int sites;
    private final int localSize;
    /** How many sites after the last changed one may see it (N when unbounded). */
    private final int reach;
    /**
     * Per layer l, how many sites after the last changed one its outputs may differ: the
     * reaches of layers 0..l summed, at most N. Past that a pass takes the layer's outputs from
     * the base (the cache's baseline) instead of computing them.
     */
    private final int[] layerReach;
    private final SiteCache cache;
    /** The configurations the cache evaluates, (batch, N): the base, then each pass's. */
    private final float[] rows;
    /** The base configurations, (batch, N). */
    private final float[] base;
    /** Their local indices, (batch, N). */
    private final int[] baseIndices;
    /** The local indices of {@link #rows} where a pass wrote them, (batch, N). */
    private final int[] rowIndices;
    /** The base's log-conditionals of every local state, (batch, N, localSize). */
    private final float[] baseConditionals;
    /** The base's chosen log-conditionals, (batch, N). */
    private final float[] baseChosen;
    /**
     * The base's logits of every site, (N, localSize, batch) (constrained spaces only): a pass
     * whose changed index sum reaches past the network's window renormalises them.
     */
    private final float[] baseLogits;
    /** Per base row, the local-index sums of its first j sites, (batch, N + 1) (constrained spaces). */
    private final int[] prefixSums;
    /** One site's log-conditionals, feature-major (localSize, batch). */
    private final float[] logConditionals;
    /** Rows of the last {@link #setBase}, -1 before the first. */
    private int baseRows = -1;
    /** Whether each base row has psi = 0 (logPsi -infinity: outside a sector). */
    private final boolean[] baseZero;
    // Per connected configuration (row * slots + k), grown to the largest slots seen.
    private int[] firstChanged = new int[0];
    private int[] windowEnd = new int[0];
    private int[] lastChanged = new int[0];
    private int[] order = new int[0];
    private int[] rank = new int[0];
    private final int[] groupStart;
    /** Per row of a pass, its connected configuration (row * slots + k), or -1. */
    private final int[] active;
    /**
     * The model's conditionals by context ({@link ContextTable}) when its reach is short enough,
     * else null: then {@link #setBase} and {@link #logRatios} look them up instead of running
     * the cache, the same bits.
     */
    private final ContextTable table;
    /** Whether {@link #table} holds the current model's conditionals (filled on the first {@link #setBase}). */
    private boolean tableFilled;
    /** With a table, each base row's context code at every site, (batch, N). */
    private final int[] baseCodes;

    private ConnectedLogPsi(ARNN model, int batch, boolean useTable) {
        this.model = model;
        this.hilbert = model.hilbert();
        this.batch = batch;
        this.sites = hilbert.size();
        this.localSize = hilbert.localSize();
        this.layerReach = layerReach(model);
        this.reach = layerReach[layerReach.length - 1];
        this.cache = model.newHistoryCache(batch);
        this.rows = new float[Math.multiplyExact(batch, sites)];
        this.base = new float[rows.length];
        this.baseIndices = new int[rows.length];
        this.rowIndices = new int[rows.length];
        this.baseConditionals = new float[Math.multiplyExact(rows.length, localSize)];
        this.baseChosen = new float[rows.length];
        this.prefixSums = new int[hilbert.isConstrained() ? Math.multiplyExact(batch, sites + 1) : 0];
        this.baseLogits = new float[hilbert.isConstrained()
                ? Math.multiplyExact(Math.multiplyExact(sites, localSize), batch) : 0];
        this.logConditionals = new float[Math.multiplyExact(batch, localSize)];
        this.groupStart = new int[sites + 2];
        this.active = new int[batch];
        this.baseZero = new boolean[batch];
        // A sector rule reads every earlier site: no table of conditionals on a constrained space.
        this.table = useTable && !hilbert.isConstrained() ? ContextTable.forModel(model, reach, localSize) : null;
        this.baseCodes = new int[table != null ? rows.length : 0];
    }

    /** An evaluator of {@code model} for up to {@code batch} base configurations at a time. */
    public static ConnectedLogPsi of(ARNN model, int batch) {
        if (model == null) {
            throw new IllegalArgumentException("model: expected a model but got null");
        }
        Shapes.requireAtLeast("batch", batch, 1);
        return new ConnectedLogPsi(model, batch, true);
    }

    /**
     * An evaluator that runs the cache for every model, never a {@link ContextTable}: the
     * reference the table's results are held to, bit for bit.
     */
    static ConnectedLogPsi withoutContextTable(ARNN model, int batch) {
        if (model == null) {
            throw new IllegalArgumentException("model: expected a model but got null");
        }
        Shapes.requireAtLeast("batch", batch, 1);
        return new ConnectedLogPsi(model, batch, false);
    }

    /** Whether this evaluator looks the conditionals up by context ({@link ContextTable}). */
    boolean tabulated() {
        return table != null;
    }

    public ARNN model() {
        return model;
    }

    /**
     * Evaluates {@code model} from now on, a model of the same configuration as the current
     * one (e.g. after a parameter update: same layers, Hilbert space and machinePow), reusing
     * every buffer. The base is forgotten: call {@link #setBase} next.
     *
     * @throws IllegalArgumentException for null or a model of another configuration
     */
    public void setModel(ARNN model) {
        if (model == null || !model.config().equals(this.model.config())) {
            throw new IllegalArgumentException("model: expected a model of configuration " + this.model.config()
                    + " but got " + (model == null ? "null" : model.config()));
        }
        cache.bind(model);
        this.model = model;
        baseRows = -1;
        tableFilled = false;
    }

    /** The most base configurations {@link #setBase} takes. */
    public int batch() {
        return batch;
    }

    /**
     * How many sites after the last changed site may have another conditional: the sum over the
     * layers of {@code (K-1)·dilation} (1D convolution) or {@code (kh-1)·dh·L + (kw/2)·dw} (2D),
     * at most N; N for a stack with a dense layer.
     */
    public int reach() {
        return reach;
    }

    /** {@link #layerReach}: per layer, the reaches of the layers up to it summed, at most N. */
    private static int[] layerReach(ARNN model) {
        int n = model.hilbert().size();
        int[] reach = new int[model.layers().size()];
        long sum = 0;
        for (int l = 0; l < reach.length; l++) {
            switch (model.layers().get(l).spec()) {
                case MaskedConv1DSpec c -> sum += (long) (c.kernelSize() - 1) * c.dilation();
                // Output (r, c) reads (r - rowShift(i), c + columnOffset(j)): at most rowShift(0)
                // rows up and leftPadding() columns left, i.e. that many sites back in raster order.
                case MaskedConv2DSpec c -> sum += (long) c.rowShift(0) * c.side() + c.leftPadding();
                default -> sum += n;
            }
            sum = Math.min(n, sum);
            reach[l] = (int) sum;
        }
        return reach;
    }

    /**
     * Evaluates the {@code count} base configurations {@code sigma[off + b N ..]} (local values)
     * site by site and writes their logPsi, the sum of the chosen log-conditionals in double, to
     * {@code logPsi[logPsiOff + b]} (-infinity for a configuration outside a constrained
     * space's sector). Replaces the previous base.
     *
     * @throws IllegalArgumentException for more than {@link #batch()} rows, arrays too short or a
     *                                  value that is not a local state
     * @throws NonFiniteResultException when an allowed log-conditional is not finite
     */
    public void setBase(double[] sigma, int off, int count, double[] logPsi, int logPsiOff) {
        if (count < 0 || count > batch) {
            throw new IllegalArgumentException("count: expected 0.." + batch + " (batch) but got " + count);
        }
        requireRange("sigma", sigma, off, (long) count * sites);
        requireRange("logPsi", logPsi, logPsiOff, count);
        for (int e = 0; e < count * sites; e++) {
            double v = sigma[off + e];
            int k = LocalStates.indexOrNegative(hilbert, (float) v);
            if (k < 0) {
                throw new IllegalArgumentException("sigma: element [" + e / sites + ", " + e % sites + "] is " + v
                        + ", expected one of " + Arrays.toString(hilbert.localValues()) + " (" + hilbert + ")");
            }
            base[e] = (float) v;
            baseIndices[e] = k;
        }
        // Rows past count evaluate a valid configuration too (their results are not read).
        Arrays.fill(base, count * sites, base.length, (float) hilbert.localValues()[0]);
        Arrays.fill(baseIndices, count * sites, base.length, 0);
        baseRows = count;
        if (table != null) {
            setBaseFromTable(count);
            sumBase(count, logPsi, logPsiOff);
            return;
        }
        System.arraycopy(base, 0, rows, 0, rows.length);
        if (hilbert.isConstrained()) {
            for (int b = 0; b < batch; b++) {
                int sum = 0;
                for (int j = 0; j < sites; j++) {
                    prefixSums[b * (sites + 1) + j] = sum;
                    sum += baseIndices[b * sites + j];
                }
                prefixSums[b * (sites + 1) + sites] = sum;
            }
        }
        cache.reset();
        for (int j = 0; j < sites; j++) {
            siteLogConditionals(j, 0);
            if (hilbert.isConstrained()) {
                int block = localSize * batch;
                System.arraycopy(cache.activations(), 0, baseLogits, j * block, block);
            }
            for (int b = 0; b < count; b++) {
                for (int k = 0; k < localSize; k++) {
                    baseConditionals[(b * sites + j) * localSize + k] = logConditionals[k * batch + b];
                }
                float chosen = logConditionals[baseIndices[b * sites + j] * batch + b];
                requireAllowedFinite(chosen, b, j, base, b * sites);
                baseChosen[b * sites + j] = chosen;
            }
        }
        sumBase(count, logPsi, logPsiOff);
        // Every layer's inputs at every position are now the base's: what a pass restores where
        // the layers below have the base's outputs (layer 0's input is sigma itself).
        LayerCache[] caches = cache.layerCaches();
        for (int l = 1; l < caches.length; l++) {
            caches[l].saveBaseline();
        }
    }

    /** logPsi of each base row, the sum of its chosen log-conditionals in ascending site order. */
    private void sumBase(int count, double[] logPsi, int logPsiOff) {
        for (int b = 0; b < count; b++) {
            double sum = 0;
            for (int j = 0; j < sites; j++) {
                sum += baseChosen[b * sites + j];
            }
            logPsi[logPsiOff + b] = sum;
            baseZero[b] = sum == Double.NEGATIVE_INFINITY;
        }
    }

    /**
     * {@link #setBase}'s conditionals from the table (filled first if the model is new): each
     * site's row by its context, checked as the cache path checks them, sites in the same order.
     */
    private void setBaseFromTable(int count) {
        if (!tableFilled) {
            fillTable();
        }
        float[] t = table.values();
        for (int b = 0; b < count; b++) {
            int code = 0;
            for (int j = 0; j < sites; j++) {
                baseCodes[b * sites + j] = code;
                code = table.next(code, baseIndices[b * sites + j]);
            }
        }
        for (int j = 0; j < sites; j++) {
            for (int b = 0; b < count; b++) {
                int at = table.row(j, baseCodes[b * sites + j]);
                System.arraycopy(t, at, baseConditionals, (b * sites + j) * localSize, localSize);
                float chosen = t[at + baseIndices[b * sites + j]];
                requireAllowedFinite(chosen, b, j, base, b * sites);
                baseChosen[b * sites + j] = chosen;
            }
        }
    }

    /**
     * Evaluates every context of the table through the cache, {@link #batch} at a time: row b
     * of a block holds context c's local values at sites 0 .. R - 1 (the rest: the first local
     * value, never read for a site up to R), and site j's log-conditionals of the first row of
     * each prefix (site R: of every row) go to the table. Leaves {@link #rows} and the cache
     * holding the last block.
     */
    private void fillTable() {
        int r = table.reach();
        int contexts = table.contexts();
        float[] localValues = LocalStates.values(hilbert);
        float[] t = table.values();
        for (int c0 = 0; c0 < contexts; c0 += batch) {
            int count = Math.min(batch, contexts - c0);
            for (int b = 0; b < batch; b++) {
                // Rows past the last context: context 0 again, evaluated and not recorded.
                table.writeSample(b < count ? c0 + b : 0, localValues, rows, b * sites, sites);
            }
            cache.reset();
            for (int j = 0; j <= r; j++) {
                siteLogConditionals(j, 0);
                for (int b = 0; b < count; b++) {
                    int at = table.recordRow(c0 + b, j);
                    if (at >= 0) {
                        for (int k = 0; k < localSize; k++) {
                            t[at + k] = logConditionals[k * batch + b];
                        }
                    }
                }
            }
        }
        tableFilled = true;
    }

    /**
     * For each base row b &lt; the count of the last {@link #setBase} and each k &lt;
     * {@code counts[b]} (at most {@code slots}), the configuration
     * {@code configurations[off + (b slots + k) N ..]}: writes
     * {@code log(psi(sigma') / psi(sigma_b))} to {@code out[outOff + b slots + k]} (0 for
     * sigma_b itself, -infinity for a configuration outside a constrained space's sector).
     *
     * @throws IllegalArgumentException for arrays too short, a count outside 0..slots, a value
     *                                  that is not a local state, or connected configurations of
     *                                  a base row with psi = 0 (no ratio)
     * @throws IllegalStateException    before any {@link #setBase}
     * @throws NonFiniteResultException when an allowed log-conditional is not finite
     */
    public void logRatios(double[] configurations, int off, int slots, int[] counts, double[] out, int outOff) {
        if (baseRows < 0) {
            throw new IllegalStateException("no base configurations: call setBase first");
        }
        Shapes.requireAtLeast("slots", slots, 1);
        if (counts == null || counts.length < baseRows) {
            throw new IllegalArgumentException("counts: expected at least " + baseRows + " counts (the base rows) but got "
                    + (counts == null ? "null" : counts.length));
        }
        requireRange("configurations", configurations, off, (long) baseRows * slots * sites);
        requireRange("out", out, outOff, (long) baseRows * slots);
        int total = Math.multiplyExact(batch, slots);
        if (firstChanged.length < total) {
            firstChanged = new int[total];
            windowEnd = new int[total];
            lastChanged = new int[total];
            order = new int[total];
            rank = new int[total];
        }
        for (int b = 0; b < baseRows; b++) {
            if (counts[b] < 0 || counts[b] > slots) {
                throw new IllegalArgumentException("counts: expected 0.." + slots + " (slots) at row " + b + " but got "
                        + counts[b]);
            }
            if (counts[b] > 0 && baseZero[b]) {
                throw new IllegalArgumentException("counts: row " + b + " has connected configurations but its base has"
                        + " psi = 0 (logPsi = -infinity, outside " + hilbert + "'s sector), so no ratio");
            }
        }
        Arrays.fill(groupStart, 0);
        for (int b = 0; b < baseRows; b++) {
            for (int k = 0; k < counts[b]; k++) {
                int q = b * slots + k;
                classify(configurations, off + q * sites, b, q);
                groupStart[firstChanged[q] + 1]++;
            }
        }
        if (table != null) {
            tableRatios(configurations, off, slots, counts, out, outOff);
            return;
        }
        // Counting sort by first changed site (group N: identical to the base), rows ascending.
        for (int d = 0; d <= sites; d++) {
            groupStart[d + 1] += groupStart[d];
        }
        for (int b = 0; b < baseRows; b++) {
            for (int k = 0; k < counts[b]; k++) {
                int q = b * slots + k;
                order[groupStart[firstChanged[q]]++] = q;
            }
        }
        for (int d = sites; d > 0; d--) {
            groupStart[d] = groupStart[d - 1];
        }
        groupStart[0] = 0;
        for (int g = groupStart[sites]; g < groupStart[sites + 1]; g++) {
            out[outOff + order[g]] = 0;
        }
        for (int d = sites - 1; d >= 0; d--) {
            int from = groupStart[d];
            int to = groupStart[d + 1];
            int passes = 0;
            for (int g = from; g < to; g++) {
                int q = order[g];
                rank[q] = g > from && order[g - 1] / slots == q / slots ? rank[order[g - 1]] + 1 : 0;
                passes = Math.max(passes, rank[q] + 1);
            }
            for (int pass = 0; pass < passes; pass++) {
                runPass(configurations, off, slots, d, from, to, pass, out, outOff);
            }
        }
    }

    /**
     * {@link #logRatios} from the table: each configuration's window summed as a pass sums it,
     * (c_d - base_d) and then (c_j - base_j) for j = d + 1 .. its window's end in ascending
     * order, c_j looked up by the configuration's context at j (from the base's at d on).
     */
    private void tableRatios(double[] configurations, int off, int slots, int[] counts, double[] out, int outOff) {
        float[] t = table.values();
        for (int b = 0; b < baseRows; b++) {
            for (int k = 0; k < counts[b]; k++) {
                int q = b * slots + k;
                int d = firstChanged[q];
                if (d == sites) {
                    out[outOff + q] = 0;
                    continue;
                }
                int at = off + q * sites;
                int index = indexAt(configurations, at, b, d);
                double sum = (double) baseConditionals[(b * sites + d) * localSize + index] - baseChosen[b * sites + d];
                int code = table.next(baseCodes[b * sites + d], index);
                for (int j = d + 1; j <= windowEnd[q]; j++) {
                    index = indexAt(configurations, at, b, j);
                    float c = t[table.row(j, code) + index];
                    if (Float.isNaN(c) || Float.isInfinite(c)) {
                        // Only the diagnosis reads the row: the configuration, from site d on.
                        for (int i = 0; i < sites; i++) {
                            rows[b * sites + i] = i < d ? base[b * sites + i] : (float) configurations[at + i];
                        }
                        requireAllowedFinite(c, b, j, rows, b * sites);
                    }
                    sum += (double) c - baseChosen[b * sites + j];
                    code = table.next(code, index);
                }
                out[outOff + q] = sum;
            }
        }
    }

    /** Local index of site j of the configuration at {@code at} (base row b's where it agrees; else checked by classify). */
    private int indexAt(double[] configurations, int at, int b, int j) {
        double v = configurations[at + j];
        return v == base[b * sites + j] ? baseIndices[b * sites + j] : LocalStates.indexOrNegative(hilbert, (float) v);
    }

    /** First and last changed site of configuration q (of base row b), and its window's end. */
    private void classify(double[] configurations, int at, int b, int q) {
        int first = -1;
        int last = -1;
        int changedSum = 0;
        for (int j = 0; j < sites; j++) {
            double v = configurations[at + j];
            if (v != base[b * sites + j]) {
                // Only changed sites need checking: the others are the base's, checked by setBase.
                int k = LocalStates.indexOrNegative(hilbert, (float) v);
                if (k < 0 || (float) v != v) {
                    throw new IllegalArgumentException("configurations: element " + (at + j) + " is " + v
                            + ", expected one of " + Arrays.toString(hilbert.localValues()) + " (" + hilbert + ")");
                }
                if (first < 0) {
                    first = j;
                }
                last = j;
                changedSum += k - baseIndices[b * sites + j];
            }
        }
        if (first < 0) {
            firstChanged[q] = sites;
            windowEnd[q] = -1;
            lastChanged[q] = -1;
            return;
        }
        firstChanged[q] = first;
        lastChanged[q] = last;
        // On a constrained space a changed index sum changes the sector rule at every later site.
        boolean bounded = changedSum == 0 || !hilbert.isConstrained();
        windowEnd[q] = bounded ? (int) Math.min(sites - 1L, (long) last + reach) : sites - 1;
    }

    /**
     * One pass over group d: each row's configuration of rank {@code pass} (if any) is written
     * into its row from site d on, the cache restarts at site d + 1 and runs to the farthest
     * window end, and each active row sums its window.
     */
    private void runPass(double[] configurations, int off, int slots, int d, int from, int to, int pass, double[] out,
                         int outOff) {
        Arrays.fill(active, -1);
        int end = d;
        int last = d;
        for (int g = from; g < to; g++) {
            int q = order[g];
            if (rank[q] == pass) {
                int b = q / slots;
                active[b] = q;
                end = Math.max(end, windowEnd[q]);
                last = Math.max(last, lastChanged[q]);
            }
        }
        // Each active row from d to the pass's end (the sites the pass pushes or reads).
        for (int b = 0; b < baseRows; b++) {
            int q = active[b];
            if (q >= 0) {
                int at = off + q * sites;
                for (int j = d; j <= end; j++) {
                    double v = configurations[at + j];
                    rows[b * sites + j] = (float) v;
                    rowIndices[b * sites + j] = v == base[b * sites + j] ? baseIndices[b * sites + j]
                            : LocalStates.indexOrNegative(hilbert, (float) v);
                }
            }
        }
        for (int b = 0; b < baseRows; b++) {
            int q = active[b];
            if (q >= 0) {
                // Site d: sigma's conditional, another value chosen.
                int k = rowIndices[b * sites + d];
                float c = baseConditionals[(b * sites + d) * localSize + k];
                out[outOff + q] = (double) c - baseChosen[b * sites + d];
            }
        }
        if (end == d) {
            return;
        }
        if (hilbert.isConstrained()) {
            int[] sums = cache.indexSums();
            for (int b = 0; b < batch; b++) {
                sums[b] = prefixSums[b * (sites + 1) + d];
            }
        }
        cache.seek(d + 1);
        // Layer l's outputs can differ from the base's up to site last + layerReach[l] only:
        // from there on each site starts at the first layer that still sees a change.
        int firstLayer = 0;
        for (int j = d + 1; j <= end; j++) {
            while (firstLayer < layerReach.length && j > last + layerReach[firstLayer]) {
                firstLayer++;
            }
            siteLogConditionals(j, firstLayer);
            for (int b = 0; b < baseRows; b++) {
                int q = active[b];
                if (q >= 0 && j <= windowEnd[q]) {
                    float c = logConditionals[rowIndices[b * sites + j] * batch + b];
                    requireAllowedFinite(c, b, j, rows, b * sites);
                    out[outOff + q] += (double) c - baseChosen[b * sites + j];
                }
            }
        }
    }

    /**
     * Pushes site j - 1 of {@link #rows} through the cache from layer {@code firstLayer} on (the
     * layers below have the base's outputs at j; all layers: the base's logits, kept by
     * {@link #setBase}) and leaves site j's log-conditionals, feature-major (localSize, batch), in
     * {@link #logConditionals}: the model's normalisation, with the sector rule on a constrained
     * space.
     */
    private void siteLogConditionals(int j, int firstLayer) {
        model.logitsFrom(cache, rows, 0, j, firstLayer);
        float[] act = cache.activations();
        int block = localSize * batch;
        if (firstLayer == layerReach.length) {
            System.arraycopy(baseLogits, j * block, act, 0, block);
        }
        float pow = model.machinePow();
        model.kernels().logNormalizeColumns(act, 0, batch, logConditionals, 0, batch, localSize, batch, pow);
        if (hilbert.isConstrained()) {
            int[] before = cache.indexSums();
            for (int b = 0; b < batch; b++) {
                int lo = SectorRule.lowest(hilbert, j, before[b]);
                int hi = SectorRule.highest(hilbert, j, before[b]);
                if (!SectorRule.allAllowed(lo, hi, localSize)) {
                    SectorNormalization.maskedLogNormalize(act, b, batch, logConditionals, b, batch, localSize, lo, hi,
                            pow);
                }
            }
        }
        cache.advance();
    }

    /** A chosen log-conditional may be -infinity (a state the sector forbids), never NaN or +infinity. */
    private void requireAllowedFinite(float c, int b, int site, float[] sigma, int sigmaOff) {
        if (Float.isNaN(c) || c == Float.POSITIVE_INFINITY
                || c == Float.NEGATIVE_INFINITY && !hilbert.isConstrained()) {
            throw NonFiniteDiagnosis.of(model, "the log-conditional of row " + b + " at site " + site + " is " + c,
                    sigma, sigmaOff);
        }
    }

    private static void requireRange(String name, double[] a, int off, long length) {
        if (a == null || off < 0 || off + length > a.length) {
            throw new IllegalArgumentException(name + ": expected " + length + " values from offset " + off
                    + " but got " + (a == null ? "null" : "an array of " + a.length));
        }
    }
}
