package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An autoregressive neural network with NetKet's {@code ARNNSequential} semantics: masked
 * layers, the first exclusive and the rest inclusive, {@code selu} before every layer but the
 * first, and the {@code machinePow} normalisation
 * <pre>
 *   logPsi[b, i, :] = x[b, i, :] - (1/machinePow) * logsumexp(machinePow * x[b, i, :])
 *   conditionals    = exp(machinePow * logPsi)          (each row sums to one)
 *   logPsi(sigma)   = sum_i logPsi[b, i, localIndex(sigma_i)]
 * </pre>
 * Computes and stores its parameters in float32, from a float32 configuration (one source for
 * both {@link AutoregressiveModel}s: the float64 class is generated from this one). Inputs are
 * (batch, N) tensors of local state VALUES. On a constrained space
 * ({@link HilbertSpace#isConstrained()}) every path applies {@link SectorRule}: states after which
 * the total can no longer be reached get logPsi -infinity (conditional 0) and the others are
 * renormalised, so P is a distribution over the sector; a configuration outside the sector has
 * logPsi -infinity, as in NetKet.
 *
 * <p>Immutable and thread-safe. Per-call state lives in caller-owned objects: {@link Workspace}
 * for full forwards, {@link SiteCache} for per-site (cached) evaluation. Full forwards split the
 * batch into fixed chunks that run on up to {@link #threads()} threads; the result is bitwise
 * the same for any thread count.
 */
public final class ARNN implements AutoregressiveModel {
    private final ARNNConfig config;
    private final List<MaskedLayer> layers;
    private final int threads;
    private final Kernels kernels;
    private final int chunkRows;
    private final int maxWidth;

    ARNN(ARNNConfig config, List<MaskedLayer> layers, int threads, Kernels kernels) {
        this.config = config;
        this.layers = List.copyOf(layers);
        this.threads = threads;
        this.kernels = kernels;
        int width = 1;
        for (MaskedLayer l : layers) {
            width = Math.max(width, l.outFeatures());
        }
        this.maxWidth = width;
        long perSample = (long) config.hilbert().size() * width;
        this.chunkRows = (int) Math.max(1, Math.min(Tuning.MAX_CHUNK_ROWS, Tuning.CHUNK_TARGET_FLOATS / perSample));
    }

    /**
     * A model of {@code config} with parameters initialised from {@code seed} as NetKet does
     * (LeCun normal kernels as each {@link LayerSpec} asks, zero biases), the layers drawing from one
     * random stream in order.
     */
    public static ARNN initialise(ARNNConfig config, long seed) {
        requireConfig(config);
        SplittableRandom random = new SplittableRandom(seed);
        List<LayerSpec> specs = config.layerSpecs();
        MaskedLayer[] layers = new MaskedLayer[specs.size()];
        for (int l = 0; l < layers.length; l++) {
            LayerSpec spec = specs.get(l);
            layers[l] = MaskedLayer.of(spec, Initializer.initialKernel(spec, random), Tensor.zeros(spec.biasShape()),
                    ParameterKeys.prefix(l));
        }
        return new ARNN(config, List.of(layers), Runtime.getRuntime().availableProcessors(), Kernels.active());
    }

    /**
     * A model of {@code config} with the given parameters, keyed as NetKet flattens them
     * ({@code _layers_0/kernel}, {@code _layers_0/bias}, ...), in NetKet's shapes. Missing,
     * extra or mis-shaped arrays and non-finite values in used entries are rejected, naming the key.
     */
    public static ARNN fromParameters(ARNNConfig config, Map<String, Tensor> parameters) {
        requireConfig(config);
        List<LayerSpec> specs = config.layerSpecs();
        ParameterKeys.requireExactly(parameters, config);
        MaskedLayer[] layers = new MaskedLayer[specs.size()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = MaskedLayer.of(specs.get(l), parameters.get(ParameterKeys.kernel(l)),
                    parameters.get(ParameterKeys.bias(l)), ParameterKeys.prefix(l));
        }
        return new ARNN(config, List.of(layers), Runtime.getRuntime().availableProcessors(), Kernels.active());
    }

    private static void requireConfig(ARNNConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
        if (config.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("config: expected a float32 configuration (this class computes in "
                    + "float32; AutoregressiveModel.initialise picks the class by dtype) but got dtype " + config.dtype());
        }
    }

    @Override
    public ARNNConfig config() {
        return config;
    }

    @Override
    public HilbertSpace hilbert() {
        return config.hilbert();
    }

    public float machinePow() {
        return config.machinePow();
    }

    /** The layers, first (exclusive) to last. */
    public List<MaskedLayer> layers() {
        return layers;
    }

    /** Threads a full forward may use (default: all available processors). */
    @Override
    public int threads() {
        return threads;
    }

    /** The kernels this model computes with (default {@link Kernels#active()}). */
    public Kernels kernels() {
        return kernels;
    }

    /** The same model (sharing its immutable layers) forwarding on up to {@code threads} threads. */
    @Override
    public ARNN withThreads(int threads) {
        Shapes.requireAtLeast("threads", threads, 1);
        return new ARNN(config, layers, threads, kernels);
    }

    /** The same model computing with other kernels, e.g. {@code ScalarKernels.INSTANCE} as a baseline. */
    public ARNN withKernels(Kernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("kernels: expected a Kernels implementation but got null");
        }
        return new ARNN(config, layers, threads, kernels);
    }

    /** The parameters in NetKet's names and shapes (fresh copies). */
    @Override
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            params.put(ParameterKeys.kernel(l), layers.get(l).kernel());
            if (layers.get(l).useBias()) {
                params.put(ParameterKeys.bias(l), layers.get(l).bias());
            }
        }
        return params;
    }

    /** A model of the same configuration and threads with other parameters (see {@link #fromParameters}). */
    public ARNN withParameters(Map<String, Tensor> parameters) {
        return fromParameters(config, parameters).withThreads(threads).withKernels(kernels);
    }

    /** Multiply-adds one full forward of one sample needs (masked work excluded). */
    @Override
    public long multiplyAddsPerSample() {
        return config.multiplyAddsPerSample();
    }

    /** A flax-style table of the layers for inputs of {@code batch} configurations (see {@link ModelSummary}). */
    @Override
    public ModelSummary summary(int batch) {
        return ModelSummary.of(this, batch);
    }

    int chunkFloats() {
        return chunkRows * config.hilbert().size() * maxWidth;
    }

    /** Rows (samples) per parallel chunk of a full forward; fixed by the model's shape, never by threads. */
    public int chunkRows() {
        return chunkRows;
    }

    /**
     * Scratch for full forwards of this model (or any of the same shape, on any threads); reuse
     * it across calls from one thread. It grows to the workers a call uses, never to
     * {@link #threads()} workers that the batch cannot occupy.
     */
    public Workspace newWorkspace() {
        return new Workspace(this);
    }

    /** A cached-path {@link DirectSampler} of this model on its threads. */
    @Override
    public DirectSampler sampler() {
        return DirectSampler.of(this);
    }

    // ---------------------------------------------------------------- full forward

    /** As {@link #conditionalsLogPsi(Tensor)} for configurations of either precision (see {@link AutoregressiveModel}). */
    @Override
    public Tensor conditionalsLogPsi(NdArray inputs) {
        return conditionalsLogPsi(LocalStates.configurations("inputs", inputs));
    }

    /** As {@link #conditionals(Tensor)} for configurations of either precision. */
    @Override
    public Tensor conditionals(NdArray inputs) {
        return conditionals(LocalStates.configurations("inputs", inputs));
    }

    /** As {@link #logPsi(Tensor)} for configurations of either precision. */
    @Override
    public Tensor logPsi(NdArray inputs) {
        return logPsi(LocalStates.configurations("inputs", inputs));
    }

    /** logPsi conditionals, (batch, N, localSize), of a (batch, N) tensor of local values. */
    public Tensor conditionalsLogPsi(Tensor inputs) {
        int batch = LocalStates.requireConfigurations(hilbert(), "inputs", inputs);
        Tensor out = Tensor.zeros(batch, hilbert().size(), hilbert().localSize());
        forwardLogPsi(inputs, out, newWorkspace());
        return out;
    }

    /**
     * As {@link #conditionalsLogPsi(Tensor)} into a caller-provided {@code out} (batch, N,
     * localSize), with caller-owned scratch: allocates nothing on one thread.
     */
    public void conditionalsLogPsi(Tensor inputs, Tensor out, Workspace workspace) {
        int batch = LocalStates.requireConfigurations(hilbert(), "inputs", inputs);
        if (out == null) {
            throw new IllegalArgumentException("out: expected a tensor but got null");
        }
        out.requireShape("out", batch, hilbert().size(), hilbert().localSize());
        forwardLogPsi(inputs, out, requireWorkspace(workspace));
    }

    private Workspace requireWorkspace(Workspace workspace) {
        if (workspace == null || !workspace.fits(this)) {
            throw new IllegalArgumentException("workspace: expected one from newWorkspace() of a model of this "
                    + "shape but got " + (workspace == null ? "null" : "another model's"));
        }
        return workspace;
    }

    /** Conditional probabilities, (batch, N, localSize): {@code exp(machinePow * logPsi)}. */
    public Tensor conditionals(Tensor inputs) {
        Tensor t = conditionalsLogPsi(inputs);
        float[] a = t.array();
        float p = machinePow();
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Math.exp(p * a[i]);
        }
        return t;
    }

    /** Conditional probabilities of one site, (batch, localSize), by a full forward. */
    public Tensor conditional(Tensor inputs, int index) {
        requireSite(index);
        Tensor all = conditionals(inputs);
        int batch = all.dim(0);
        int n = hilbert().size();
        int ls = hilbert().localSize();
        Tensor out = Tensor.zeros(batch, ls);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(all.array(), (b * n + index) * ls, out.array(), b * ls, ls);
        }
        return out;
    }

    /** logPsi of each configuration, (batch,): the sum over sites of the chosen log-conditionals. */
    public Tensor logPsi(Tensor inputs) {
        Tensor cond = conditionalsLogPsi(inputs);
        Tensor out = Tensor.zeros(inputs.dim(0));
        gatherLogPsi(inputs, cond, out.array());
        return out;
    }

    /** logPsi of one configuration given as N local values. */
    public float logPsi(float... configuration) {
        return logPsi(single(configuration)).getFlat(0);
    }

    /** Conditionals of one configuration, (N, localSize). */
    public Tensor conditionals(float... configuration) {
        Tensor c = conditionals(single(configuration));
        return c.reshape(hilbert().size(), hilbert().localSize());
    }

    private Tensor single(float[] configuration) {
        if (configuration == null || configuration.length != hilbert().size()) {
            throw new IllegalArgumentException("configuration: expected " + hilbert().size() + " local values but got "
                    + (configuration == null ? "null" : configuration.length));
        }
        return Tensor.copyOf(configuration, 1, configuration.length);
    }

    /** Sums logPsi[b, i, localIndex(sigma[b, i])] over i in double, rounded once. */
    private void gatherLogPsi(Tensor inputs, Tensor cond, float[] out) {
        HilbertSpace h = hilbert();
        int n = h.size();
        int ls = h.localSize();
        float[] x = inputs.array();
        int xo = inputs.offset();
        float[] c = cond.array();
        for (int b = 0; b < out.length; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int k = LocalStates.indexOrNegative(h, x[xo + b * n + i]);
                sum += c[(b * n + i) * ls + k];
            }
            out[b] = (float) sum;
            // -infinity is a forbidden (outside the sector) choice: requireFinite has already
            // checked every allowed entry, so only a finite sum beyond float32 is an error here.
            if (!Float.isFinite(out[b]) && sum != Double.NEGATIVE_INFINITY) {
                throw new NonFiniteResultException("logPsi of sample " + b + " is not finite: its " + n
                        + " log-conditionals are finite but sum to " + sum + ", beyond float32");
            }
        }
    }

    private void requireSite(int index) {
        if (index < 0 || index >= hilbert().size()) {
            throw new IllegalArgumentException("index: expected a site 0.." + (hilbert().size() - 1) + " but got " + index);
        }
    }

    private void forwardLogPsi(Tensor inputs, Tensor out, Workspace ws) {
        int batch = inputs.dim(0);
        int chunks = (batch + chunkRows - 1) / chunkRows;
        ws.ensureWorkers(ParallelChunks.workers(chunks, threads));
        ParallelChunks.run(chunks, threads, (worker, chunk) -> {
            int first = chunk * chunkRows;
            int rows = Math.min(chunkRows, batch - first);
            forwardChunk(inputs, first, rows, out, ws.buffer(worker, Workspace.INPUT),
                    ws.buffer(worker, Workspace.OUTPUT), ws.buffer(worker, Workspace.SCRATCH));
        });
        requireFinite(inputs, out);
    }

    /**
     * Throws for the first non-finite entry of the (batch, N, localSize) logPsi {@code out},
     * naming its sample and site and where the forward stopped being finite. One pass over the
     * output after all chunks, on the calling thread, so the sample named does not depend on
     * the thread count.
     */
    private void requireFinite(Tensor inputs, Tensor out) {
        if (hilbert().isConstrained()) {
            requireFiniteAllowed(inputs, out);
            return;
        }
        float[] a = out.array();
        int off = out.offset();
        int size = out.size();
        for (int e = 0; e < size; e++) {
            if (!Float.isFinite(a[off + e])) {
                int perSample = hilbert().size() * hilbert().localSize();
                int b = e / perSample;
                int site = e % perSample / hilbert().localSize();
                throw NonFiniteDiagnosis.of(this, "logPsi of sample " + b + " at site " + site + " is " + a[off + e],
                        inputs.array(), inputs.offset() + b * hilbert().size());
            }
        }
    }

    /** As {@link #requireFinite} on a constrained space, where only forbidden entries may be -infinity. */
    private void requireFiniteAllowed(Tensor inputs, Tensor out) {
        HilbertSpace h = hilbert();
        int n = h.size();
        int ls = h.localSize();
        float[] a = out.array();
        float[] x = inputs.array();
        int batch = inputs.dim(0);
        for (int b = 0; b < batch; b++) {
            int before = 0;
            for (int i = 0; i < n; i++) {
                int lo = SectorRule.lowest(h, i, before);
                int hi = SectorRule.highest(h, i, before);
                for (int k = lo; k <= hi; k++) {
                    float v = a[out.offset() + (b * n + i) * ls + k];
                    if (!Float.isFinite(v)) {
                        throw NonFiniteDiagnosis.of(this, "logPsi of sample " + b + " at site " + i + " is " + v,
                                x, inputs.offset() + b * n);
                    }
                }
                before += LocalStates.indexOrNegative(h, x[inputs.offset() + b * n + i]);
            }
        }
    }

    /** Rows [first, first + rows) of the batch through every layer, into their logPsi rows of out. */
    private void forwardChunk(Tensor inputs, int first, int rows, Tensor out, float[] a, float[] b, float[] scratch) {
        int n = hilbert().size();
        System.arraycopy(inputs.array(), inputs.offset() + first * n, a, 0, rows * n);
        float[] x = a;
        float[] y = b;
        for (int l = 0; l < layers.size(); l++) {
            MaskedLayer layer = layers.get(l);
            layer.forward(kernels, x, 0, rows, y, 0, scratch);
            float[] t = x;
            x = y;
            y = t;
            if (l + 1 < layers.size()) {
                kernels.selu(x, 0, x, 0, rows * n * layer.outFeatures());
            }
        }
        int ls = hilbert().localSize();
        kernels.logNormalizeRows(x, 0, out.array(), out.offset() + first * n * ls, rows * n, ls, machinePow());
        if (hilbert().isConstrained()) {
            maskToSector(inputs, first, rows, x, out);
        }
    }

    /** Applies {@link SectorRule} to the logPsi rows of [first, first + rows), from their logits x. */
    private void maskToSector(Tensor inputs, int first, int rows, float[] logits, Tensor out) {
        HilbertSpace h = hilbert();
        int n = h.size();
        int ls = h.localSize();
        float[] in = inputs.array();
        float[] o = out.array();
        for (int r = 0; r < rows; r++) {
            int row = inputs.offset() + (first + r) * n;
            int before = 0;
            for (int i = 0; i < n; i++) {
                int lo = SectorRule.lowest(h, i, before);
                int hi = SectorRule.highest(h, i, before);
                if (!SectorRule.allAllowed(lo, hi, ls)) {
                    SectorNormalization.maskedLogNormalize(logits, (r * n + i) * ls, 1, o, out.offset() + ((first + r) * n + i) * ls,
                            1, ls, lo, hi, machinePow());
                }
                before += LocalStates.indexOrNegative(h, in[row + i]);
            }
        }
    }

    // ---------------------------------------------------------------- per-site (cached) evaluation

    /** A per-site cache for {@code batch} configurations, starting at site 0. */
    public SiteCache newCache(int batch) {
        Shapes.requireAtLeast("batch", batch, 1);
        LayerCache[] caches = new LayerCache[layers.size()];
        for (int l = 0; l < caches.length; l++) {
            caches[l] = layers.get(l).newCache(batch);
        }
        SiteCache cache = new SiteCache(this, batch, caches, maxWidth);
        cache.reset();
        return cache;
    }

    /**
     * Conditional probabilities of site {@code index}, (batch, localSize), from the cache:
     * {@code index} must be the cache's next site (0, 1, ..., N-1 in order) and
     * {@code sigma[:, index-1]} must hold the local values of site {@code index - 1}
     * (earlier sites were taken from sigma by earlier calls). Equal to
     * {@code conditionals(sigma)[:, index, :]} within float rounding.
     *
     * @throws IllegalStateException if {@code index} is not the cache's next site
     */
    public Tensor conditional(SiteCache cache, Tensor sigma, int index) {
        requireCache(cache);
        Tensor out = Tensor.zeros(cache.batch(), hilbert().localSize());
        conditional(cache, sigma, index, out);
        return out;
    }

    /** As {@link #conditional(SiteCache, Tensor, int)} into {@code out} (batch, localSize); allocates nothing. */
    public void conditional(SiteCache cache, Tensor sigma, int index, Tensor out) {
        requireCache(cache);
        int n = hilbert().size();
        if (sigma == null) {
            throw new IllegalArgumentException("sigma: expected a (" + cache.batch() + ", " + n + ") tensor but got null");
        }
        sigma.requireShape("sigma", cache.batch(), n);
        if (out == null) {
            throw new IllegalArgumentException("out: expected a tensor but got null");
        }
        out.requireShape("out", cache.batch(), hilbert().localSize());
        cache.requireNext(index);
        if (index > 0) {
            requireLocalColumn(sigma, index - 1);
        }
        conditionalInto(cache, sigma.array(), sigma.offset(), index);
        float[] p = cache.probabilities();
        float[] o = out.array();
        int ls = hilbert().localSize();
        int batch = cache.batch();
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < ls; k++) {
                float v = p[k * batch + b];
                if (!Float.isFinite(v)) {
                    throw NonFiniteDiagnosis.of(this, "the conditional of sample " + b + " at site " + index
                            + " is " + v, sigma.array(), sigma.offset() + b * n);
                }
                o[out.offset() + b * ls + k] = v;
            }
        }
    }

    private void requireCache(SiteCache cache) {
        if (cache == null || cache.model() != this && !cache.model().sameLayers(this)) {
            throw new IllegalArgumentException("cache: expected one from newCache() of this model but got "
                    + (cache == null ? "null" : "another model's"));
        }
    }

    private boolean sameLayers(ARNN other) {
        return other.layers.equals(layers) && Float.compare(other.machinePow(), machinePow()) == 0;
    }

    private void requireLocalColumn(Tensor sigma, int site) {
        HilbertSpace h = hilbert();
        int n = h.size();
        float[] s = sigma.array();
        for (int b = 0; b < sigma.dim(0); b++) {
            float v = s[sigma.offset() + b * n + site];
            if (LocalStates.indexOrNegative(h, v) < 0) {
                throw new IllegalArgumentException("sigma: element [" + b + ", " + site + "] is " + v
                        + ", expected one of " + Arrays.toString(h.localValues()) + " (" + h + ")");
            }
        }
    }

    /**
     * The per-site step without argument checks (the sampler validated everything once):
     * pushes site index-1 of sigma (rows of length N from {@code sigmaOff}) through the layer
     * caches and leaves the probabilities of site {@code index} in
     * {@link SiteCache#probabilities()}, feature-major (localSize, batch).
     */
    void conditionalInto(SiteCache cache, float[] sigma, int sigmaOff, int index) {
        int n = hilbert().size();
        int batch = cache.batch();
        float[] act = cache.activations();
        LayerCache[] caches = cache.layerCaches();
        boolean constrained = hilbert().isConstrained();
        if (index > 0) {
            if (constrained) {
                // Before the push, which reads the same sigma entries: one pass over them.
                addToIndexSums(cache, sigma, sigmaOff + index - 1);
            }
            caches[0].push(index - 1, sigma, sigmaOff + index - 1, 0, n);
        }
        caches[0].computeSite(kernels, index, act, 0);
        for (int l = 1; l < caches.length; l++) {
            int width = layers.get(l - 1).outFeatures();
            kernels.selu(act, 0, act, 0, width * batch);
            caches[l].push(index, act, 0, batch, 1);
            caches[l].computeSite(kernels, index, act, 0);
        }
        kernels.probabilityColumns(act, 0, cache.probabilities(), 0, hilbert().localSize(), batch, machinePow());
        if (constrained) {
            maskToSector(cache, index, act);
        }
        cache.advance();
    }

    /** Adds the local index of each row's {@code sigma[column + b N]} to the row's index sum. */
    private void addToIndexSums(SiteCache cache, float[] sigma, int column) {
        HilbertSpace h = hilbert();
        int n = h.size();
        int[] sums = cache.indexSums();
        for (int b = 0; b < sums.length; b++) {
            sums[b] += LocalStates.indexOrNegative(h, sigma[column + b * n]);
        }
    }

    /**
     * Applies {@link SectorRule} to the probabilities of site {@code index} in the cache, from
     * the logits {@code act} (localSize, batch) and the rows' index sums over the earlier sites.
     */
    private void maskToSector(SiteCache cache, int index, float[] act) {
        HilbertSpace h = hilbert();
        int ls = h.localSize();
        int batch = cache.batch();
        int[] before = cache.indexSums();
        float[] p = cache.probabilities();
        float pow = machinePow();
        for (int b = 0; b < batch; b++) {
            int lo = SectorRule.lowest(h, index, before[b]);
            int hi = SectorRule.highest(h, index, before[b]);
            if (!SectorRule.allAllowed(lo, hi, ls)) {
                SectorNormalization.maskedLogNormalize(act, b, batch, p, b, batch, ls, lo, hi, pow);
                for (int k = 0; k < ls; k++) {
                    p[k * batch + b] = (float) Math.exp(pow * p[k * batch + b]);
                }
            }
        }
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
