package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.BackwardKernels;
import io.jarnn.kernels.Kernels;

import java.util.ArrayList;

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
    /**
     * Row stride of the planar layout full forwards use when every layer is a convolution
     * (see {@link MaskedConv1D#forwardPlanar}); 0 for the row-major path.
     */
    private final int planarStride;
    /** Positions per block of the planar forward's wavefront (see {@link #forwardChunkPlanar}). */
    private final int planarBlock;
    /** Floats of all of one sample's planes in the planar forward: its input and every layer's output. */
    private final int planarFloats;
    /**
     * Whether full forwards run feature-major from the first layer to the last (every layer
     * dense; see {@link MaskedDense1D#forwardFeatureMajor}): a chunk, at most
     * {@link Tuning#MAX_CHUNK_ROWS} = {@link Tuning#DENSE_COLUMN_BLOCK} samples, is one block.
     */
    private final boolean featureMajor;
    /** Where layer l's parameters start in the flat parameter vector; entry L is its length. */
    private final int[] parameterOffsets;
    private volatile ParameterLayout layout;

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
        this.planarStride = layers.stream().allMatch(l -> l instanceof MaskedConv1D)
                ? config.hilbert().size() + Tuning.PLANAR_ROW_GAP : 0;
        int planes = layers.get(0).inFeatures();
        for (MaskedLayer l : layers) {
            planes = Math.addExact(planes, l.outFeatures());
        }
        this.planarFloats = planarStride == 0 ? 0 : Math.multiplyExact(planes, planarStride);
        this.planarBlock = Math.max(Tuning.PLANAR_BLOCK_QUANTUM,
                Tuning.PLANAR_BLOCK_FLOATS / width / Tuning.PLANAR_BLOCK_QUANTUM * Tuning.PLANAR_BLOCK_QUANTUM);
        this.featureMajor = layers.stream().allMatch(l -> l instanceof MaskedDense1D);
        long perSample = (long) config.hilbert().size() * width;
        this.chunkRows = (int) Math.max(1, Math.min(Tuning.MAX_CHUNK_ROWS, Tuning.CHUNK_TARGET_FLOATS / perSample));
        this.parameterOffsets = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) {
            parameterOffsets[l + 1] = Math.addExact(parameterOffsets[l], layers.get(l).parameterCount());
        }
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
        return chunkRows * Math.max(config.hilbert().size(), planarStride) * maxWidth;
    }

    /**
     * Floats of each of a {@link Workspace}'s buffers: a chunk's activations, or all of one
     * sample's planes in the planar forward, whichever is more.
     */
    int forwardBufferFloats() {
        return Math.max(chunkFloats(), planarFloats);
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
        int workers = ParallelChunks.workers(chunks, threads);
        ws.ensureWorkers(workers);
        if (workers == 1) {
            // On the calling thread without the capturing lambda: a forward allocates nothing.
            for (int chunk = 0; chunk < chunks; chunk++) {
                forwardChunkChecked(inputs, batch, chunk, out, ws, 0);
            }
            return;
        }
        ParallelChunks.run(chunks, threads, (worker, chunk) -> forwardChunkChecked(inputs, batch, chunk, out, ws, worker));
    }

    /** Chunk {@code chunk} of the batch through every layer with worker {@code worker}'s buffers, its rows then checked finite. */
    private void forwardChunkChecked(Tensor inputs, int batch, int chunk, Tensor out, Workspace ws, int worker) {
        int first = chunk * chunkRows;
        int rows = Math.min(chunkRows, batch - first);
        forwardChunk(inputs, first, rows, out, ws.buffer(worker, Workspace.INPUT),
                ws.buffer(worker, Workspace.OUTPUT), ws.buffer(worker, Workspace.SCRATCH));
        requireFinite(inputs, out, first, rows);
    }

    /**
     * Throws for the first non-finite entry of rows [first, first + rows) of the (batch, N,
     * localSize) logPsi {@code out}, naming its sample and site and where the forward stopped
     * being finite. Each chunk checks its own rows while they are in cache (one serial pass
     * after all chunks was a twentieth of the conv1d forward, run on one thread whatever the
     * thread count); {@link ParallelChunks#run} rethrows the failure of the lowest chunk, so the
     * sample named does not depend on the thread count.
     */
    private void requireFinite(Tensor inputs, Tensor out, int first, int rows) {
        if (hilbert().isConstrained()) {
            requireFiniteAllowed(inputs, out, first, rows);
            return;
        }
        float[] a = out.array();
        int perSample = hilbert().size() * hilbert().localSize();
        int off = out.offset();
        // The branch-free scan first (a test and branch per element was 2% of the conv1d
        // forward, JFR); the search for the entry to name only when it fails.
        if (allFinite(a, off + first * perSample, rows * perSample)) {
            return;
        }
        for (int e = first * perSample; e < (first + rows) * perSample; e++) {
            if (!Float.isFinite(a[off + e])) {
                int b = e / perSample;
                int site = e % perSample / hilbert().localSize();
                throw NonFiniteDiagnosis.of(this, "logPsi of sample " + b + " at site " + site + " is " + a[off + e],
                        inputs.array(), inputs.offset() + b * hilbert().size());
            }
        }
    }

    /** As {@link #requireFinite} on a constrained space, where only forbidden entries may be -infinity. */
    private void requireFiniteAllowed(Tensor inputs, Tensor out, int first, int rows) {
        HilbertSpace h = hilbert();
        int n = h.size();
        int ls = h.localSize();
        float[] a = out.array();
        float[] x = inputs.array();
        for (int b = first; b < first + rows; b++) {
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
        if (planarStride > 0) {
            forwardChunkPlanar(inputs, first, rows, out, a, b, scratch);
            return;
        }
        if (featureMajor && rows <= Tuning.DENSE_COLUMN_BLOCK) {
            forwardChunkFeatureMajor(inputs, first, rows, out, a, b, scratch);
            return;
        }
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

    /**
     * {@link #forwardChunk} of a convolutional model, in the planar layout (per sample, features
     * by positions; see {@link MaskedConv1D#forwardPlanar}): every element takes the operations
     * of the row-major path in the same order, so the results are bitwise the same. The logits
     * go back to rows of localSize once, for the normalisation.
     */
    private void forwardChunkPlanar(Tensor inputs, int first, int rows, Tensor out, float[] a, float[] b,
                                    float[] scratch) {
        // One sample at a time, and within it a wavefront: every layer (and selu, and the
        // normalisation) on a block of positions before the next block, as the layers are
        // causal: a block needs only earlier positions of the layer below, already computed.
        // All of a sample's planes lie one after the other in a (see planarFloats), so each
        // layer still reads the earlier blocks of its input; a block's planes and the weights
        // stay in L1. Every element takes the same operations whatever the split: the same bits.
        int n = hilbert().size();
        int ls = hilbert().localSize();
        int stride = planarStride;
        int block = planarBlock;
        float[] in = inputs.array();
        float[] o = out.array();
        float pow = machinePow();
        boolean constrained = hilbert().isConstrained();
        int logits = 0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(in, inputs.offset() + (first + r) * n, a, 0, n);
            int outRow = out.offset() + (first + r) * n * ls;
            for (int from = 0; from < n; from += block) {
                int to = Math.min(n, from + block);
                int x = 0;
                int y = layers.get(0).inFeatures() * stride;
                for (int l = 0; l < layers.size(); l++) {
                    MaskedConv1D layer = (MaskedConv1D) layers.get(l);
                    layer.forwardPlanarPositions(kernels, a, x, a, y, stride, from, to);
                    if (l + 1 < layers.size()) {
                        for (int c = 0; c < layer.outFeatures(); c++) {
                            kernels.selu(a, y + c * stride + from, a, y + c * stride + from, to - from);
                        }
                    }
                    x = y;
                    y += layer.outFeatures() * stride;
                }
                logits = x;
                if (!constrained) {
                    // Normalised along the positions (bitwise logNormalizeRows), then to rows of localSize.
                    kernels.logNormalizeColumns(a, x + from, stride, b, from, stride, ls, to - from, pow);
                    planesToRows(b, stride, ls, from, to, o, outRow);
                }
            }
            if (constrained) {
                // The sector rule works on rows of logits: transpose them, then as the row-major path.
                for (int k = 0; k < ls; k++) {
                    for (int i = 0; i < n; i++) {
                        scratch[(r * n + i) * ls + k] = a[logits + k * stride + i];
                    }
                }
            }
        }
        if (constrained) {
            kernels.logNormalizeRows(scratch, 0, o, out.offset() + first * n * ls, rows * n, ls, pow);
            maskToSector(inputs, first, rows, scratch, out);
        }
    }

    /**
     * o[outRow + i * ls + k] = b[k * stride + i] for positions i in [from, to): written in order
     * (ls reads per position), not ls passes of strided writes over the output row. Two local
     * states (spins) take a loop of their own: with ls unknown to the compiler, the general
     * loop's inner trip of two was 5% of the conv1d forward at 16 features (JFR).
     */
    private static void planesToRows(float[] b, int stride, int ls, int from, int to, float[] o, int outRow) {
        if (ls == 2) {
            for (int i = from; i < to; i++) {
                o[outRow + 2 * i] = b[i];
                o[outRow + 2 * i + 1] = b[stride + i];
            }
            return;
        }
        for (int i = from; i < to; i++) {
            for (int k = 0; k < ls; k++) {
                o[outRow + i * ls + k] = b[k * stride + i];
            }
        }
    }

    /**
     * {@link #forwardChunk} of a dense model, feature-major throughout: the chunk's inputs
     * transposed once to (N, rows), every layer (N*in, rows) to (N*out, rows) with selu in
     * between, the logits normalised along the samples (bitwise logNormalizeRows) and
     * transposed once to rows. The same operations per element as the row-major path, whose
     * layers transpose at every boundary: the same bits.
     */
    private void forwardChunkFeatureMajor(Tensor inputs, int first, int rows, Tensor out, float[] a, float[] b,
                                          float[] scratch) {
        int n = hilbert().size();
        BackwardKernels transposes = kernels.backward();
        Transpose.of(transposes, inputs.array(), inputs.offset() + first * n, rows, n, a, 0);
        float[] x = a;
        float[] y = b;
        for (int l = 0; l < layers.size(); l++) {
            MaskedDense1D layer = (MaskedDense1D) layers.get(l);
            layer.forwardFeatureMajor(kernels, x, 0, rows, y, 0);
            float[] t = x;
            x = y;
            y = t;
            if (l + 1 < layers.size()) {
                kernels.selu(x, 0, x, 0, rows * n * layer.outFeatures());
            }
        }
        int ls = hilbert().localSize();
        float[] o = out.array();
        int outRows = out.offset() + first * n * ls;
        if (hilbert().isConstrained()) {
            Transpose.of(transposes, x, 0, n * ls, rows, scratch, 0);
            kernels.logNormalizeRows(scratch, 0, o, outRows, rows * n, ls, machinePow());
            maskToSector(inputs, first, rows, scratch, out);
            return;
        }
        for (int i = 0; i < n; i++) {
            kernels.logNormalizeColumns(x, i * ls * rows, rows, y, i * ls * rows, rows, ls, rows, machinePow());
        }
        Transpose.of(transposes, y, 0, n * ls, rows, o, outRows);
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

    // ---------------------------------------------------------------- flat parameters

    /** Length of the flat parameter vector: the effective (unmasked) parameters (see {@link ParameterLayout}). */
    @Override
    public int parameterCount() {
        return parameterOffsets[layers.size()];
    }

    int[] parameterOffsets() {
        return parameterOffsets;
    }

    /** Positions per block of the planar forward's wavefront, for the gradient's forward to run the same blocks. */
    int planarBlock() {
        return planarBlock;
    }

    /** Where each parameter sits in the flat vector and in NetKet's (flax's) layout. */
    @Override
    public ParameterLayout parameterLayout() {
        ParameterLayout l = layout;
        if (l == null) {
            l = ParameterLayout.of(config);
            layout = l;
        }
        return l;
    }

    /** The parameters as a fresh flat vector, in the layers' storage order (see {@link ParameterLayout}). */
    public float[] flatParameters() {
        float[] flat = new float[parameterCount()];
        flatParameters(flat, 0);
        return flat;
    }

    /** Writes the flat parameter vector to {@code dst[dstOff .. dstOff + parameterCount())}. */
    public void flatParameters(float[] dst, int dstOff) {
        requireRange("dst", dst, dstOff, parameterCount());
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).readParameters(dst, dstOff + parameterOffsets[l]);
        }
    }

    /**
     * A model of the same configuration, threads and kernels with parameters read from the flat
     * vector {@code flat} (length {@link #parameterCount()}, the layers' storage order), the
     * step of an optimiser: no NetKet arrays are built, each layer copies its range. The new
     * model shares nothing mutable with {@code flat} or with this model, so both stay immutable
     * and thread-safe and the caller may reuse {@code flat} at once.
     *
     * @throws IllegalArgumentException on a wrong length or a non-finite value (naming its index)
     */
    public ARNN withParameters(float[] flat) {
        requireRange("flat", flat, 0, parameterCount());
        if (flat.length != parameterCount()) {
            throw new IllegalArgumentException("flat: expected " + parameterCount() + " parameters but got " + flat.length);
        }
        List<MaskedLayer> updated = new ArrayList<>(layers.size());
        for (int l = 0; l < layers.size(); l++) {
            updated.add(layers.get(l).withParameters(flat, parameterOffsets[l], parameterOffsets[l]));
        }
        ARNN model = new ARNN(config, updated, threads, kernels);
        model.layout = layout;
        return model;
    }

    /**
     * {@code withParameters(theta + alpha * direction)}, theta this model's flat vector: the axpy
     * of a gradient step ({@code alpha = -learningRate}), one rounding per element.
     */
    public ARNN withParametersPlus(float alpha, float[] direction) {
        if (direction == null || direction.length != parameterCount()) {
            throw new IllegalArgumentException("direction: expected " + parameterCount() + " values but got "
                    + (direction == null ? "null" : direction.length));
        }
        float[] theta = flatParameters();
        for (int e = 0; e < theta.length; e++) {
            theta[e] += alpha * direction[e];
        }
        return withParameters(theta);
    }

    /**
     * A flat vector (parameters or their gradient, in the layers' storage order) in NetKet's names
     * and shapes; masked dense kernel entries are exactly 0, as NetKet's {@code kernel * mask}
     * makes their gradient.
     */
    public Map<String, Tensor> netKetParameters(float[] flat) {
        requireRange("flat", flat, 0, parameterCount());
        ParameterLayout pl = parameterLayout();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String key : pl.keys()) {
            Tensor t = Tensor.zeros(pl.shape(key));
            int off = pl.offset(key);
            int base = (int) pl.flaxOffset(key);
            int[] flax = pl.flaxIndicesShared();
            for (int e = off; e < off + pl.count(key); e++) {
                t.array()[flax[e] - base] = flat[e];
            }
            out.put(key, t);
        }
        return out;
    }

    /**
     * A per-sample Jacobian (batch, P) over the flat parameters expanded to NetKet's full
     * layout in flax's order, (batch, {@link ParameterLayout#flaxSize()}): the columns of
     * {@code jax.flatten_util.ravel_pytree} of NetKet's parameters, masked entries 0.
     */
    public Tensor toNetKetJacobian(Tensor jacobian) {
        if (jacobian == null || jacobian.rank() != 2 || jacobian.dim(1) != parameterCount()) {
            throw new IllegalArgumentException("jacobian: expected a (batch, " + parameterCount() + ") tensor but got "
                    + (jacobian == null ? "null" : Arrays.toString(jacobian.shape())));
        }
        ParameterLayout pl = parameterLayout();
        int[] flax = pl.flaxIndicesShared();
        int wide = Math.toIntExact(pl.flaxSize());
        int batch = jacobian.dim(0);
        int count = parameterCount();
        Tensor out = Tensor.zeros(batch, wide);
        for (int b = 0; b < batch; b++) {
            for (int e = 0; e < count; e++) {
                out.array()[b * wide + flax[e]] = jacobian.array()[jacobian.offset() + b * count + e];
            }
        }
        return out;
    }

    private static void requireRange(String argument, float[] a, int off, int length) {
        if (a == null || off < 0 || off > a.length - length) {
            throw new IllegalArgumentException(argument + ": expected room for " + length + " values from offset "
                    + off + " but got " + (a == null ? "null" : "an array of " + a.length));
        }
    }

    // ---------------------------------------------------------------- gradients

    /**
     * Scratch for {@link #logPsiGradient(Tensor, Tensor, float[], int, GradientWorkspace)},
     * {@link #logPsiJacobian(Tensor, Tensor, GradientWorkspace)} and
     * {@link #conditionalsLogPsiVjp}: reuse it across calls from one thread (with this model or
     * any of the same layers' shapes, e.g. after {@link #withParameters(float[])}).
     */
    public GradientWorkspace newGradientWorkspace() {
        return new GradientWorkspace(this);
    }

    /**
     * The gradient of {@code sum_b weights[b] logPsi(inputs[b])} with respect to the parameters,
     * in NetKet's names and shapes (masked dense kernel entries exactly 0, as NetKet's
     * {@code kernel * mask} gives). On a constrained space a configuration outside the sector has
     * logPsi -infinity whatever the parameters and contributes nothing.
     *
     * @param inputs  (batch, N) local values
     * @param weights (batch,) finite weights c_b
     */
    public Map<String, Tensor> logPsiGradient(Tensor inputs, Tensor weights) {
        float[] grad = new float[parameterCount()];
        logPsiGradient(inputs, weights, grad, 0, newGradientWorkspace());
        return netKetParameters(grad);
    }

    /** As {@link #logPsiGradient(Tensor, Tensor)} for arrays of either precision (see {@link AutoregressiveModel}). */
    @Override
    public Map<String, Tensor> logPsiGradient(NdArray inputs, NdArray weights) {
        if (weights == null) {
            throw new IllegalArgumentException("weights: expected a (batch,) array but got null");
        }
        Tensor w = weights instanceof Tensor t ? t : weights.toSinglePrecision(); //f64: Tensor64 w = weights instanceof Tensor64 t ? t : weights.toDoublePrecision();
        return logPsiGradient(LocalStates.configurations("inputs", inputs), w);
    }

    /**
     * As {@link #logPsiGradient(Tensor, Tensor)} into the flat vector
     * {@code grad[gradOff .. gradOff + parameterCount())} (overwritten; the layers' storage order,
     * see {@link ParameterLayout}), with caller-owned scratch: allocates nothing on one thread.
     * Bitwise the same for any number of threads: per-chunk partial sums over chunks of rows
     * fixed by the model's shape ({@link #chunkRows()}, or more for a dense model), added in
     * chunk order.
     *
     * @throws NonFiniteResultException if an entry of the gradient is not finite (naming it)
     */
    public void logPsiGradient(Tensor inputs, Tensor weights, float[] grad, int gradOff, GradientWorkspace workspace) {
        int batch = LocalStates.requireConfigurations(hilbert(), "inputs", inputs);
        requireWeights(weights, batch);
        requireRange("grad", grad, gradOff, parameterCount());
        Backprop.reduce(this, inputs, weights.array(), weights.offset(), null, null, grad, gradOff,
                requireGradientWorkspace(workspace));
        requireFiniteGradient(grad, gradOff, "the gradient");
    }

    /**
     * The per-sample Jacobian {@code J[b, e] = d logPsi(inputs[b]) / d theta_e}, (batch, P), over
     * the flat (effective) parameters in the layers' storage order; {@link ParameterLayout#flaxIndex}
     * maps column e to flax's flattened order and {@link #toNetKetJacobian} expands it to NetKet's
     * full layout. {@code sum_b c_b J[b, :]} is {@link #logPsiGradient} with weights c.
     */
    public Tensor logPsiJacobian(Tensor inputs) {
        int batch = LocalStates.requireConfigurations(hilbert(), "inputs", inputs);
        Tensor out = Tensor.zeros(batch, parameterCount());
        logPsiJacobian(inputs, out, newGradientWorkspace());
        return out;
    }

    /** As {@link #logPsiJacobian(Tensor)} for configurations of either precision. */
    @Override
    public Tensor logPsiJacobian(NdArray inputs) {
        return logPsiJacobian(LocalStates.configurations("inputs", inputs));
    }

    /** As {@link #logPsiJacobian(Tensor)} into {@code out} (batch, P), with caller-owned scratch. */
    public void logPsiJacobian(Tensor inputs, Tensor out, GradientWorkspace workspace) {
        int batch = LocalStates.requireConfigurations(hilbert(), "inputs", inputs);
        if (out == null) {
            throw new IllegalArgumentException("out: expected a tensor but got null");
        }
        out.requireShape("out", batch, parameterCount());
        int bad = Backprop.jacobian(this, inputs, out.array(), out.offset(), requireGradientWorkspace(workspace));
        // The message only for a row that fails: building it for every row allocated 48 bytes per sample.
        if (bad >= 0) {
            requireFiniteGradient(out.array(), out.offset() + bad * parameterCount(), "the Jacobian row of sample " + bad);
        }
    }

    /**
     * The vector-Jacobian product of {@link #conditionalsLogPsi(Tensor)}: the gradients of
     * {@code sum_{b,i,k} cotangent[b,i,k] logPsi[b,i,k]} with respect to the parameters and to
     * every layer's output. Cotangents of forbidden entries (logPsi -infinity on a constrained
     * space) are dropped: those entries do not depend on the parameters.
     *
     * @param cotangent (batch, N, localSize), finite
     */
    public ConditionalsVjp conditionalsLogPsiVjp(Tensor inputs, Tensor cotangent) {
        int batch = LocalStates.requireConfigurations(hilbert(), "inputs", inputs);
        int n = hilbert().size();
        if (cotangent == null) {
            throw new IllegalArgumentException("cotangent: expected a (" + batch + ", " + n + ", "
                    + hilbert().localSize() + ") tensor but got null");
        }
        cotangent.requireShape("cotangent", batch, n, hilbert().localSize());
        requireAllFinite("cotangent", cotangent);
        Tensor[] outputs = new Tensor[layers.size()];
        for (int l = 0; l < outputs.length; l++) {
            outputs[l] = Tensor.zeros(batch, n, layers.get(l).outFeatures());
        }
        float[] grad = new float[parameterCount()];
        Backprop.reduce(this, inputs, null, 0, cotangent, outputs, grad, 0, newGradientWorkspace());
        requireFiniteGradient(grad, 0, "the vector-Jacobian product");
        return new ConditionalsVjp(grad, netKetParameters(grad), List.of(outputs));
    }

    private static void requireWeights(Tensor weights, int batch) {
        if (weights == null) {
            throw new IllegalArgumentException("weights: expected a (" + batch + ",) tensor but got null");
        }
        if (weights.rank() != 1 || weights.dim(0) != batch) {
            weights.requireShape("weights", batch); // throws; checked by hand first, as varargs allocate
        }
        requireAllFinite("weights", weights);
    }

    private static void requireAllFinite(String argument, Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!Float.isFinite(t.getFlat(i))) {
                throw new IllegalArgumentException(argument + ": expected finite values but flat element " + i
                        + " is " + t.getFlat(i));
            }
        }
    }

    private GradientWorkspace requireGradientWorkspace(GradientWorkspace workspace) {
        if (workspace == null || !workspace.fits(this)) {
            throw new IllegalArgumentException("workspace: expected one from newGradientWorkspace() of a model of "
                    + "this shape but got " + (workspace == null ? "null" : "another model's"));
        }
        return workspace;
    }

    /** Throws for the first non-finite entry of a flat gradient, naming its NetKet key. */
    /**
     * Whether {@code a[off .. off + count)} are all finite: {@code x - x} is 0 for a finite x and
     * NaN otherwise, and four sums of it, with no branch per element, run at the pace of the
     * loads, where a test and branch per element took a fourteenth of a small model's Jacobian.
     */
    static boolean allFinite(float[] a, int off, int count) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int e = off;
        int end = off + count;
        for (; e + 4 <= end; e += 4) {
            s0 += a[e] - a[e];
            s1 += a[e + 1] - a[e + 1];
            s2 += a[e + 2] - a[e + 2];
            s3 += a[e + 3] - a[e + 3];
        }
        for (; e < end; e++) {
            s0 += a[e] - a[e];
        }
        return s0 + s1 + s2 + s3 == 0f;
    }

    private void requireFiniteGradient(float[] grad, int off, String what) {
        int count = parameterCount();
        if (allFinite(grad, off, count)) {
            return;
        }
        for (int e = 0; e < count; e++) {
            if (!Float.isFinite(grad[off + e])) {
                ParameterLayout pl = parameterLayout();
                String key = pl.keys().get(0);
                for (String k : pl.keys()) {
                    if (e >= pl.offset(k)) {
                        key = k;
                    }
                }
                throw new NonFiniteResultException(what + " is not finite: flat entry " + e + " (" + key
                        + ", NetKet index " + pl.arrayIndex(key, e) + ") is " + grad[off + e]);
            }
        }
    }

    // ---------------------------------------------------------------- per-site (cached) evaluation

    /** A per-site cache for {@code batch} configurations, starting at site 0. */
    public SiteCache newCache(int batch) {
        return siteCache(batch, false);
    }

    /**
     * A per-site cache whose layers keep every position (see {@link MaskedLayer#newHistoryCache}),
     * for {@link ConnectedLogPsi}, which restarts it at later sites.
     */
    SiteCache newHistoryCache(int batch) {
        return siteCache(batch, true);
    }

    private SiteCache siteCache(int batch, boolean history) {
        Shapes.requireAtLeast("batch", batch, 1);
        LayerCache[] caches = new LayerCache[layers.size()];
        for (int l = 0; l < caches.length; l++) {
            MaskedLayer layer = layers.get(l);
            caches[l] = history ? layer.newHistoryCache(batch) : layer.newCache(batch);
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
        logitsInto(cache, sigma, sigmaOff, index);
        float[] act = cache.activations();
        kernels.probabilityColumns(act, 0, cache.probabilities(), 0, hilbert().localSize(), cache.batch(), machinePow());
        if (hilbert().isConstrained()) {
            maskToSector(cache, index, act);
        }
        cache.advance();
    }

    /**
     * The layers of {@link #conditionalInto} without the normalisation: pushes site index-1 of
     * sigma and leaves the logits of site {@code index}, feature-major (localSize, batch), in
     * {@link SiteCache#activations()}; on a constrained space, adds site index-1 to the index
     * sums. Does not advance the cache.
     */
    void logitsInto(SiteCache cache, float[] sigma, int sigmaOff, int index) {
        logitsFrom(cache, sigma, sigmaOff, index, 0);
    }

    /**
     * {@link #logitsInto} from layer {@code first} on, for a history cache with a baseline
     * ({@link ConnectedLogPsi}): layers below {@code first} are not evaluated at {@code index}
     * (their outputs there are the baseline's), so layer {@code first}'s input at {@code index}
     * is restored from its baseline instead of pushed. With {@code first} = the number of
     * layers no layer runs and the activations are left as they are (the caller supplies the
     * logits). The index sums are updated in every case.
     */
    void logitsFrom(SiteCache cache, float[] sigma, int sigmaOff, int index, int first) {
        int n = hilbert().size();
        int batch = cache.batch();
        float[] act = cache.activations();
        LayerCache[] caches = cache.layerCaches();
        if (index > 0 && hilbert().isConstrained()) {
            // Before the push, which reads the same sigma entries: one pass over them.
            addToIndexSums(cache, sigma, sigmaOff + index - 1);
        }
        if (first == caches.length) {
            return;
        }
        if (first == 0) {
            if (index > 0) {
                caches[0].push(index - 1, sigma, sigmaOff + index - 1, 0, n);
            }
        } else {
            caches[first].restoreBaseline(index);
        }
        caches[first].computeSite(kernels, index, act, 0);
        for (int l = first + 1; l < caches.length; l++) {
            int width = layers.get(l - 1).outFeatures();
            caches[l].pushSelu(kernels, index, act, 0, width, batch);
            caches[l].computeSite(kernels, index, act, 0);
        }
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
        // Most sites of a long chain restrict no row: the lowest allowed index only falls as the
        // prefix sum grows and the highest only rises as it shrinks, so the rows with the
        // smallest and the largest sums decide whether any row needs the correction.
        int least = Integer.MAX_VALUE;
        int most = Integer.MIN_VALUE;
        for (int b = 0; b < batch; b++) {
            least = Math.min(least, before[b]);
            most = Math.max(most, before[b]);
        }
        if (SectorRule.allAllowed(SectorRule.lowest(h, index, least), SectorRule.highest(h, index, most), ls)) {
            return;
        }
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
