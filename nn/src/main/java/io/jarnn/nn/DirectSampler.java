package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Shapes;
import io.jarnn.core.SplitMix64;
import io.jarnn.core.Tensor;

import java.util.Arrays;

/**
 * Exact, independent samples from an {@link ARNN}, drawn site by site as NetKet's
 * {@code ARDirectSampler} does: for index = 0 .. N-1, {@code p = conditional(sigma, index)},
 * each row's local index chosen by inverse CDF on p scaled by the row's own sum, and the local
 * VALUE written to {@code sigma[:, index]}. No Markov chain, no burn-in. On a constrained space
 * the conditionals are those of {@link SectorRule} (states that cannot reach the total have
 * probability 0 and are never drawn), so every sample lies in the sector.
 *
 * <p>The n samples are split into fixed chunks of {@link #chunkSize()} rows; chunk c draws from
 * its own random stream, derived from the seed and c alone, and runs on any of up to
 * {@code threads} workers. So the same seed gives the same samples for any number of threads.
 *
 * <p>A sampler owns its per-worker caches and scratch and reuses them across calls: after the
 * first call, {@link #sample(long, Tensor, Tensor)} allocates nothing on one thread. Not
 * thread-safe: use one sampler per calling thread (they may share the immutable model).
 */
public final class DirectSampler implements ExactSampler {
    /** How each site's conditional is computed. */
    public enum Path {
        /** Per-site caches: O(1) per site for conv1d, O(index) for dense. */
        CACHED,
        /** A full forward of the whole chunk for every site: O(N) per site; a baseline. */
        NAIVE
    }

    /** Default rows per chunk (see {@link Tuning#SAMPLER_CHUNK}). */
    public static final int DEFAULT_CHUNK_SIZE = Tuning.SAMPLER_CHUNK;
    /** Fold the running product of chosen probabilities into the log sum below this value. */
    private static final double PRODUCT_FLOOR = 1e-250;

    private final ARNN model;
    private final Path path;
    private final int chunkSize;
    private final int threads;
    /**
     * The workers' caches and scratch, one slot per worker a call has used so far: grown (on the
     * calling thread, before the workers start) to {@link ParallelChunks#workers}, never to
     * {@code threads}, which may be far more than a batch's chunks can occupy.
     */
    private Worker[] workers = new Worker[0];

    private DirectSampler(ARNN model, Path path, int chunkSize, int threads) {
        this.model = model;
        this.path = path;
        this.chunkSize = chunkSize;
        this.threads = threads;
    }

    /** A cached-path sampler with the default chunk size, on the model's thread count. */
    public static DirectSampler of(ARNN model) {
        if (model == null) {
            throw new IllegalArgumentException("model: expected an ARNN but got null");
        }
        return new DirectSampler(model, Path.CACHED, DEFAULT_CHUNK_SIZE, model.threads());
    }

    /** The same sampler computing conditionals along {@code path}. */
    public DirectSampler withPath(Path path) {
        if (path == null) {
            throw new IllegalArgumentException("path: expected CACHED or NAIVE but got null");
        }
        return new DirectSampler(model, path, chunkSize, threads);
    }

    /** The same sampler with another chunk size (changes which stream draws which sample). */
    @Override
    public DirectSampler withChunkSize(int chunkSize) {
        Shapes.requireAtLeast("chunkSize", chunkSize, 1);
        return new DirectSampler(model, path, chunkSize, threads);
    }

    /** The same sampler on up to {@code threads} threads (the samples do not change). */
    @Override
    public DirectSampler withThreads(int threads) {
        Shapes.requireAtLeast("threads", threads, 1);
        return new DirectSampler(model, path, chunkSize, threads);
    }

    @Override
    public ARNN model() {
        return model;
    }

    public Path path() {
        return path;
    }

    @Override
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public int threads() {
        return threads;
    }

    /** {@code n} samples from {@code seed}, with their log-probabilities when {@code withLogProbabilities}. */
    public Samples sample(int n, long seed, boolean withLogProbabilities) {
        Shapes.requireAtLeast("n", n, 1);
        HilbertSpace h = model.hilbert();
        Tensor configurations = Tensor.zeros(n, h.size());
        Tensor logProbabilities = withLogProbabilities ? Tensor.zeros(n) : null;
        sample(seed, configurations, logProbabilities);
        return new Samples(configurations, logProbabilities);
    }

    /**
     * Fills {@code configurations} (n, N) with n samples from {@code seed} and, unless it is
     * null, {@code logProbabilities} (n,) with their log-probabilities. Sample r depends only
     * on the seed, r and the chunk size, never on the thread count; in a last, partial chunk
     * also on how many rows it holds (the rows of a chunk draw from one stream, site by site),
     * so the first 1,000 of 300,000 samples are not the 1,000 samples of a call with n = 1,000.
     */
    public void sample(long seed, Tensor configurations, Tensor logProbabilities) {
        sample(seed, 0, configurations, logProbabilities);
    }

    /**
     * Fills {@code configurations} (n, N) with samples {@code firstRow .. firstRow + n - 1} of
     * the sequence that {@code seed} defines, so that a long run can be produced in pieces (for
     * a progress bar, or to bound memory) with exactly the samples of one call.
     * {@code firstRow} must be a multiple of {@link #chunkSize()}: chunks are the unit of
     * randomness.
     */
    public void sample(long seed, long firstRow, Tensor configurations, Tensor logProbabilities) {
        HilbertSpace h = model.hilbert();
        if (configurations == null) {
            throw new IllegalArgumentException("configurations: expected an (n, " + h.size() + ") tensor but got null");
        }
        configurations.requireRank("configurations", 2);
        int n = configurations.dim(0);
        configurations.requireShape("configurations", n, h.size());
        if (logProbabilities != null) {
            logProbabilities.requireShape("logProbabilities", n);
        }
        if (firstRow < 0 || firstRow % chunkSize != 0) {
            throw new IllegalArgumentException("firstRow: expected a non-negative multiple of the chunk size "
                    + chunkSize + " but got " + firstRow);
        }
        long firstChunk = firstRow / chunkSize;
        int chunks = (n + chunkSize - 1) / chunkSize;
        int used = ParallelChunks.workers(chunks, threads);
        if (workers.length < used) {
            workers = Arrays.copyOf(workers, used);
        }
        ParallelChunks.run(chunks, threads, (w, chunk) -> {
            int first = chunk * chunkSize;
            int rows = Math.min(chunkSize, n - first);
            worker(w).sampleChunk(streamFor(seed, firstChunk + chunk), configurations, logProbabilities, first, rows);
        });
    }

    /** As {@link #sample(long, long, Tensor, Tensor)}; the arrays must be of this sampler's precision. */
    @Override
    public void sample(long seed, long firstRow, NdArray configurations, NdArray logProbabilities) {
        sample(seed, firstRow, ownPrecision("configurations", configurations),
                logProbabilities == null ? null : ownPrecision("logProbabilities", logProbabilities));
    }

    private static Tensor ownPrecision(String argument, NdArray array) {
        if (array instanceof Tensor t) {
            return t;
        }
        throw new IllegalArgumentException(argument + ": expected a float32 array, the model's precision, but got "
                + (array == null ? "null" : "a " + array.dtype() + " one"));
    }

    /**
     * The random stream of chunk c: the seed of a {@code java.util.SplittableRandom} made from
     * (seed, c) by {@link SplitMix64#streamSeed}, so that streams of neighbouring chunks and
     * seeds are unrelated and none depends on scheduling. The sampler runs that generator's
     * stream in a local long ({@link #nextState}, {@link SplitMix64#unit}), not in the object:
     * the draw loop then carries its state in a register, where the object's field went through
     * memory (a store and a reload per row, one chain through all the draws of a chunk).
     */
    static long streamFor(long seed, long chunk) {
        return SplitMix64.streamSeed(seed, chunk);
    }

    /** The state after one more draw from {@code state}. */
    static long nextState(long state) {
        return state + SplitMix64.GOLDEN_GAMMA;
    }

    private Worker worker(int w) {
        if (workers[w] == null) {
            workers[w] = new Worker();
        }
        return workers[w];
    }

    /** One worker's reusable caches and scratch. */
    private final class Worker {
        private final float[] localValues = LocalStates.values(model.hilbert());
        private final float[] probabilities = new float[chunkSize * localValues.length];
        private final double[] productOfChosen = new double[chunkSize];
        private final double[] logOfChosen = new double[chunkSize];
        private SiteCache fullCache;
        private SiteCache raggedCache;
        private Tensor naiveLogPsi;
        private ARNN naiveModel;
        private Workspace naiveWorkspace;

        void sampleChunk(long stream, Tensor configurations, Tensor logProbabilities, int first, int rows) {
            int n = model.hilbert().size();
            int ls = localValues.length;
            float[] sigma = configurations.array();
            int sigmaOff = configurations.offset() + first * n;
            // Unsampled sites must hold valid values for the naive path's full forward.
            Arrays.fill(sigma, sigmaOff, sigmaOff + rows * n, localValues[0]);
            // The probability of each drawn sample is tracked only when asked for: it does not
            // change the draws, and its multiply, branch and stores run for every row and site.
            boolean tracking = logProbabilities != null;
            if (tracking) {
                Arrays.fill(productOfChosen, 0, rows, 1.0);
                Arrays.fill(logOfChosen, 0, rows, 0.0);
            }
            SiteCache cache = path == Path.CACHED ? cacheFor(rows) : null;
            Tensor chunkView = path == Path.NAIVE ? configurations.slice(first, first + rows) : null;
            // Probabilities of the current site, feature-major: p[k * rows + b].
            float[] p = cache != null ? cache.probabilities() : probabilities;
            long state = stream;
            for (int index = 0; index < n; index++) {
                if (cache != null) {
                    model.conditionalInto(cache, sigma, sigmaOff, index);
                } else {
                    naiveConditional(chunkView, rows, index);
                }
                for (int b = 0; b < rows; b++) {
                    state = nextState(state);
                    double u = SplitMix64.unit(state);
                    int k = ls == 2 ? drawOfTwo(p, b, rows, u) : draw(p, b, rows, ls, u);
                    if (k < 0) {
                        throw NonFiniteDiagnosis.of(model, "the conditional probabilities of sample " + (first + b)
                                + " at site " + index + " are not finite or sum to zero", sigma, sigmaOff + b * n);
                    }
                    sigma[sigmaOff + b * n + index] = localValues[k];
                    if (!tracking) {
                        continue;
                    }
                    double product = productOfChosen[b] * p[k * rows + b];
                    if (product < PRODUCT_FLOOR) {
                        logOfChosen[b] += Math.log(product);
                        product = 1.0;
                    }
                    productOfChosen[b] = product;
                }
            }
            if (logProbabilities != null) {
                float[] lp = logProbabilities.array();
                int lpOff = logProbabilities.offset() + first;
                for (int b = 0; b < rows; b++) {
                    lp[lpOff + b] = (float) (logOfChosen[b] + Math.log(productOfChosen[b]));
                }
            }
        }

        private SiteCache cacheFor(int rows) {
            SiteCache cache;
            if (rows == chunkSize) {
                if (fullCache == null) {
                    fullCache = model.newCache(rows);
                }
                cache = fullCache;
            } else {
                if (raggedCache == null || raggedCache.batch() != rows) {
                    raggedCache = model.newCache(rows);
                }
                cache = raggedCache;
            }
            cache.reset();
            return cache;
        }

        /** Probabilities of site {@code index} by a full forward of the chunk (the baseline path). */
        private void naiveConditional(Tensor chunk, int rows, int index) {
            int n = model.hilbert().size();
            int ls = localValues.length;
            if (naiveLogPsi == null || naiveLogPsi.dim(0) != rows) {
                naiveLogPsi = Tensor.zeros(rows, n, ls);
                naiveModel = model.withThreads(1); // chunks are already spread over the workers
                naiveWorkspace = naiveModel.newWorkspace();
            }
            naiveModel.conditionalsLogPsi(chunk, naiveLogPsi, naiveWorkspace);
            float[] lp = naiveLogPsi.array();
            float p = model.machinePow();
            for (int b = 0; b < rows; b++) {
                for (int k = 0; k < ls; k++) {
                    probabilities[k * rows + b] = (float) Math.exp(p * lp[(b * n + index) * ls + k]);
                }
            }
        }
    }

    /**
     * NetKet's inverse-CDF choice: the number of k with {@code cumsum(p)[k] < u * sum(p)}, the
     * threshold scaled by the row's own sum so that rounding in p cannot select past the last
     * local state (the clamp guards the last ulp of {@code u * sum}), and a state of probability
     * zero is never chosen. Row b's probabilities are
     * {@code p[off + k * stride]}. -1 when they hold a NaN or sum to zero or infinity.
     */
    static int draw(float[] p, int off, int stride, int ls, double u) {
        double total = 0;
        for (int k = 0; k < ls; k++) {
            total += p[off + k * stride];
        }
        if (!(total > 0 && total < Double.POSITIVE_INFINITY)) {
            return -1; // NaN, or no state with positive probability: nothing to draw from
        }
        double threshold = u * total;
        double cumulative = 0;
        int count = 0;
        for (int k = 0; k < ls; k++) {
            cumulative += p[off + k * stride];
            // Without a branch (its outcome is the random draw itself, mispredicted half the
            // time): cumulative < threshold is the sign of their difference, both being finite
            // and non-negative (so the difference is -0 never, and 0 only when they are equal).
            // "== 0" skips leading states of probability zero when u is exactly 0, the one draw
            // that NetKet's rule would let land on one; it is almost never taken.
            long below = Double.doubleToRawLongBits(cumulative - threshold) >>> 63;
            count += cumulative == 0 ? 1 : (int) below;
        }
        return Math.min(count, ls - 1);
    }

    /**
     * {@link #draw} for two local states (spin 1/2, the common case), the same choice for every
     * {@code u} in [0, 1) without draw's loops over the states (ls is not a constant to the
     * compiler, so they ran as loops). The second state's term of draw's count is always 0:
     * its cumulative sum is the total (the same additions), and {@code u * total <= total}
     * for u < 1 (rounding is monotonic and the total is representable), so the count is the
     * first state's term alone, which never exceeds ls - 1 = 1.
     */
    static int drawOfTwo(float[] p, int off, int stride, double u) {
        double first = p[off];
        double total = first + p[off + stride];
        if (!(total > 0 && total < Double.POSITIVE_INFINITY)) {
            return -1;
        }
        // Without a branch, as in draw: first < threshold is the sign of their difference.
        long below = Double.doubleToRawLongBits(first - u * total) >>> 63;
        return first == 0 ? 1 : (int) below;
    }
}
