package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.ConnectedLogPsi;
import io.jarnn.nn.ConnectedLogPsi64;
import io.jarnn.nn.Workspace;
import io.jarnn.nn.Workspace64;

/**
 * Local energies of a model under an operator,
 * <pre>
 *   E_loc(sigma) = sum_{sigma'} H[sigma, sigma'] psi(sigma') / psi(sigma)
 *                = sum_{sigma'} H[sigma, sigma'] exp(logPsi(sigma') - logPsi(sigma)),
 * </pre>
 * in double, for a batch of configurations. The rows are taken in chunks of {@link #chunkRows()};
 * for each chunk the operator writes the connected configurations (the diagonal, i.e. sigma
 * itself, first), and the model evaluates them in one of two ways ({@link Evaluation}):
 * {@link Evaluation#CHANGED_SITES} (the default) evaluates sigma site by site once and each
 * connected configuration only on the sites whose conditionals it changes
 * ({@link ConnectedLogPsi}); {@link Evaluation#FULL_FORWARD} runs one full forward over all the
 * connected configurations of the chunk. The two agree within the tolerance stated on
 * {@link ConnectedLogPsi} (relative 1e-4 in float32, 1e-10 in float64, on the log-ratios), not
 * bit for bit: the sums run in another order. Every buffer (connections, model input,
 * log-conditionals, the model's workspace or evaluator) is allocated here, once, for
 * {@link #capacityRows()} rows: a VMC step reuses this object and allocates nothing per row,
 * and the next step's model (same configuration, new parameters) takes it over through
 * {@link #setModel}, so a run allocates these buffers once.
 *
 * <p>VMC samples from {@code |psi|^2}, so the model must have {@code machinePow = 2} (its
 * conditionals are then the Born probabilities); another is refused. The model's Hilbert space
 * must equal the operator's. A connected configuration outside a constrained space's sector has
 * logPsi = -infinity (the model gives it amplitude 0) and contributes 0; a configuration of the
 * batch itself with psi = 0 has no local energy and is an error.
 *
 * <p>The model's precision is kept: a float32 {@link ARNN} evaluates its log-conditionals in
 * float32, an {@link ARNN64} in float64; logPsi is their sum over sites in double (for float32 not
 * rounded to float afterwards, unlike {@code ARNN.logPsi}), and the differences, exponentials and
 * sums here are double in both. Not thread-safe: one per thread; the full forward runs on the
 * model's own {@code threads()}, the changed-sites evaluation on the calling thread.
 */
public final class LocalEnergies {
    /** How the connected configurations are evaluated. */
    public enum Evaluation {
        /**
         * sigma site by site, then each connected configuration from its first changed site to
         * where the network stops seeing the changes ({@link ConnectedLogPsi}); for a conv1d
         * model of short reach on an unconstrained space (VmcStep's: 64 contexts) every
         * conditional is looked up in a table filled once per model, the same bits.
         */
        CHANGED_SITES,
        /** One full forward over every connected configuration (the reference). */
        FULL_FORWARD
    }

    /** Target number of connected configurations per model call. */
    private static final int TARGET_CONFIGURATIONS = 8192;
    /**
     * Rows per changed-sites chunk: the cache's vectors run along them. Measured on VmcStep's
     * model (thread CPU time, 2026-12-02): 64 rows 10.2 ms, 128 11.1, 256 11.5-12.4 in float64
     * (6.8, 6.8, 7.4 in float32); the history cache and its baseline, about 11 KB per row for
     * two 16-feature layers of 20 sites, stay in L2.
     */
    private static final int CHANGED_SITES_ROWS = 64;
    /** Cap on the log-conditional elements of one chunk (configurations x N x localSize). */
    private static final long MAX_CHUNK_ELEMENTS = 1L << 24;

    private final Operator operator;
    private AutoregressiveModel model;
    private final Evaluation evaluation;
    private final HilbertSpace hilbert;
    private final int capacityRows;
    private final int chunkRows;
    private final Connections connections;
    private final int[] firstOfRow;
    private final double[] logPsi; // per packed configuration of the current chunk
    private final double[] sigmaChunk; // a chunk of an NdArray batch, widened to double
    /** {@link Evaluation#FULL_FORWARD}'s model input and output, else null. */
    private final FullForward fullForward;
    // Evaluation.CHANGED_SITES, else null
    private final ConnectedLogPsi connected32;
    private final ConnectedLogPsi64 connected64;
    private final int[] counts;
    private final double[] ratios;

    /**
     * Buffers for batches of up to {@code capacityRows} configurations of {@code model} under
     * {@code operator}, evaluated by {@link Evaluation#CHANGED_SITES}.
     */
    public LocalEnergies(Operator operator, AutoregressiveModel model, int capacityRows) {
        this(operator, model, capacityRows, Evaluation.CHANGED_SITES);
    }

    /**
     * Buffers for batches of up to {@code capacityRows} configurations of {@code model} under
     * {@code operator}, evaluated as {@code evaluation} says.
     */
    public LocalEnergies(Operator operator, AutoregressiveModel model, int capacityRows, Evaluation evaluation) {
        OperatorChecks.requireNonNull("operator", operator, "an operator");
        OperatorChecks.requireNonNull("model", model, "an autoregressive model");
        if (capacityRows < 1) {
            throw new IllegalArgumentException("capacityRows: expected >= 1 but got " + capacityRows);
        }
        if (model.config().machinePow() != 2f) {
            throw new IllegalArgumentException("model: expected machinePow = 2 (VMC samples |psi|^2, the Born rule)"
                    + " but got machinePow = " + model.config().machinePow());
        }
        if (!model.hilbert().equals(operator.hilbert())) {
            throw new IllegalArgumentException("model: expected a model on the operator's space " + operator.hilbert()
                    + " but got one on " + model.hilbert());
        }
        OperatorChecks.requireNonNull("evaluation", evaluation, "an evaluation");
        this.operator = operator;
        this.model = model;
        this.evaluation = evaluation;
        this.hilbert = operator.hilbert();
        this.capacityRows = capacityRows;
        int n = hilbert.size();
        int slots = operator.maxConnections();
        long perConfiguration = (long) n * hilbert.localSize();
        long byTarget = Math.max(1, TARGET_CONFIGURATIONS / slots);
        long byMemory = Math.max(1, MAX_CHUNK_ELEMENTS / (perConfiguration * slots));
        this.chunkRows = evaluation == Evaluation.CHANGED_SITES
                ? (int) Math.min(capacityRows, Math.min(CHANGED_SITES_ROWS, Math.max(1, MAX_CHUNK_ELEMENTS / ((long) n * slots))))
                : (int) Math.min(capacityRows, Math.min(byTarget, byMemory));
        this.connections = new Connections(operator, chunkRows);
        int configurations = Math.multiplyExact(chunkRows, slots);
        this.firstOfRow = new int[chunkRows + 1];
        this.logPsi = new double[configurations];
        this.sigmaChunk = new double[Math.multiplyExact(chunkRows, n)];
        if (evaluation == Evaluation.CHANGED_SITES) {
            this.counts = new int[chunkRows];
            this.ratios = new double[configurations];
            this.connected32 = model instanceof ARNN m ? ConnectedLogPsi.of(m, chunkRows) : null;
            this.connected64 = model instanceof ARNN64 m ? ConnectedLogPsi64.of(m, chunkRows) : null;
            this.fullForward = null;
        } else {
            this.counts = null;
            this.ratios = null;
            this.connected32 = null;
            this.connected64 = null;
            this.fullForward = switch (model) {
                case ARNN m -> new FullForward32(m, configurations);
                case ARNN64 m -> new FullForward64(m, configurations);
            };
        }
    }

    public Operator operator() {
        return operator;
    }

    public AutoregressiveModel model() {
        return model;
    }

    /**
     * Evaluates {@code model} from now on: a model of the same configuration as the current one
     * ({@link io.jarnn.nn.ARNNConfig#equals}: layers, Hilbert space, machinePow, precision), e.g.
     * the next VMC step's, reusing every buffer. The models stay immutable; this object is the
     * caller's workspace.
     *
     * @throws IllegalArgumentException for null or a model of another configuration
     */
    public void setModel(AutoregressiveModel model) {
        if (model == null || !model.config().equals(this.model.config())) {
            throw new IllegalArgumentException("model: expected a model of configuration " + this.model.config()
                    + " but got " + (model == null ? "null" : model.config()));
        }
        switch (model) {
            case ARNN m when connected32 != null -> connected32.setModel(m);
            case ARNN64 m when connected64 != null -> connected64.setModel(m);
            default -> fullForward.setModel(model);
        }
        this.model = model;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    /** The most rows one {@link #compute} call takes. */
    public int capacityRows() {
        return capacityRows;
    }

    /** Rows per model call. */
    public int chunkRows() {
        return chunkRows;
    }

    /** Local energies of the (batch, N) configurations {@code sigma} (either precision), freshly allocated. */
    public double[] compute(NdArray sigma) {
        int rows = requireBatch(sigma);
        double[] out = new double[rows];
        compute(sigma, out, null);
        return out;
    }

    /**
     * Writes {@code E_loc} of the (batch, N) configurations {@code sigma} (a {@link Tensor} or
     * {@link Tensor64}, e.g. a sampler's output) to {@code eLoc[0 .. batch)} and, when
     * {@code logPsiOut} is not null, their logPsi to {@code logPsiOut[0 .. batch)}. Each chunk is
     * widened into a buffer of this object: allocates nothing per row.
     */
    public void compute(NdArray sigma, double[] eLoc, double[] logPsiOut) {
        int rows = requireBatch(sigma);
        requireOutputs(rows, eLoc, 0, logPsiOut, 0);
        int n = hilbert.size();
        for (int first = 0; first < rows; first += chunkRows) {
            int r = Math.min(chunkRows, rows - first);
            switch (sigma) {
                case Tensor t -> {
                    float[] a = t.array();
                    int from = t.offset() + first * n;
                    for (int e = 0; e < r * n; e++) {
                        sigmaChunk[e] = a[from + e];
                    }
                }
                case Tensor64 t -> System.arraycopy(t.array(), t.offset() + first * n, sigmaChunk, 0, r * n);
            }
            chunk(sigmaChunk, 0, first, r, eLoc, first, logPsiOut, first);
        }
    }

    private int requireBatch(NdArray sigma) {
        OperatorChecks.requireNonNull("sigma", sigma, "a (batch, " + hilbert.size() + ") array");
        int[] shape = sigma.shape();
        if (shape.length != 2 || shape[1] != hilbert.size()) {
            throw new IllegalArgumentException("sigma: expected shape (batch, " + hilbert.size() + ") but got "
                    + java.util.Arrays.toString(shape));
        }
        if (shape[0] > capacityRows) {
            throw new IllegalArgumentException("sigma: expected at most " + capacityRows + " rows (capacityRows) but got "
                    + shape[0]);
        }
        return shape[0];
    }

    private void requireOutputs(int rows, double[] eLoc, int eOff, double[] logPsiOut, int lOff) {
        OperatorChecks.requireNonNull("eLoc", eLoc, "an output array");
        if (eOff < 0 || (long) eOff + rows > eLoc.length) {
            throw new IllegalArgumentException("eLoc: expected room for " + rows + " values from offset " + eOff
                    + " but got an array of " + eLoc.length);
        }
        if (logPsiOut != null && (lOff < 0 || (long) lOff + rows > logPsiOut.length)) {
            throw new IllegalArgumentException("logPsiOut: expected room for " + rows + " values from offset " + lOff
                    + " but got an array of " + logPsiOut.length);
        }
    }

    /**
     * Writes {@code E_loc} of the {@code rows} configurations {@code sigma[off + b*N ..]} to
     * {@code eLoc[eOff + b]}, and, when {@code logPsiOut} is not null, their logPsi (double) to
     * {@code logPsiOut[lOff + b]}. Allocates nothing but two tensor views per chunk.
     *
     * @throws IllegalArgumentException for more rows than {@link #capacityRows()}, arrays too
     *                                  short, a value that is not a local state, or a
     *                                  configuration of the batch with psi = 0
     */
    public void compute(double[] sigma, int off, int rows, double[] eLoc, int eOff, double[] logPsiOut, int lOff) {
        int n = hilbert.size();
        OperatorChecks.requireNonNull("sigma", sigma, "an array of configurations");
        if (rows < 0 || rows > capacityRows) {
            throw new IllegalArgumentException("rows: expected 0.." + capacityRows + " (capacityRows) but got " + rows);
        }
        if (off < 0 || (long) off + (long) rows * n > sigma.length) {
            throw new IllegalArgumentException("sigma: expected " + rows + " rows of " + n + " values from offset " + off
                    + " but got an array of " + sigma.length);
        }
        requireOutputs(rows, eLoc, eOff, logPsiOut, lOff);
        for (int first = 0; first < rows; first += chunkRows) {
            int r = Math.min(chunkRows, rows - first);
            chunk(sigma, off + first * n, first, r, eLoc, eOff + first, logPsiOut, lOff + first);
        }
    }

    private void chunk(double[] sigma, int off, int firstRow, int rows, double[] eLoc, int eOff, double[] logPsiOut,
                       int lOff) {
        if (evaluation == Evaluation.CHANGED_SITES) {
            changedSitesChunk(sigma, off, firstRow, rows, eLoc, eOff, logPsiOut, lOff);
            return;
        }
        int n = hilbert.size();
        operator.connected(sigma, off, rows, connections);
        int slots = connections.maxConnections();
        double[] conf = connections.configurations();
        int total = 0;
        for (int b = 0; b < rows; b++) {
            firstOfRow[b] = total;
            int count = connections.count(b);
            int from = b * slots * n;
            int to = total * n;
            fullForward.put(conf, from, to, count * n);
            total += count;
        }
        firstOfRow[rows] = total;
        fullForward.logPsi(total, logPsi);
        double[] el = connections.elements();
        for (int b = 0; b < rows; b++) {
            int first = firstOfRow[b];
            double own = logPsi[first];
            if (!(own > Double.NEGATIVE_INFINITY)) {
                throw new IllegalArgumentException("sigma: row " + (firstRow + b) + " has psi = 0 (logPsi = " + own
                        + "; outside " + hilbert + "'s sector?), so no local energy");
            }
            double sum = 0;
            int count = firstOfRow[b + 1] - first;
            for (int k = 0; k < count; k++) {
                double lp = logPsi[first + k];
                // exp(-inf) = 0: a connected configuration the model gives amplitude 0 adds nothing.
                if (lp > Double.NEGATIVE_INFINITY) {
                    sum += el[b * slots + k] * Math.exp(lp - own);
                }
            }
            eLoc[eOff + b] = sum;
            if (logPsiOut != null) {
                logPsiOut[lOff + b] = own;
            }
        }
    }

    /**
     * {@link #chunk} by {@link ConnectedLogPsi}: sigma's logPsi site by site into {@link #logPsi},
     * then log(psi(sigma')/psi(sigma)) of each connection into {@link #ratios}.
     */
    private void changedSitesChunk(double[] sigma, int off, int firstRow, int rows, double[] eLoc, int eOff,
                                   double[] logPsiOut, int lOff) {
        operator.connected(sigma, off, rows, connections);
        int slots = connections.maxConnections();
        for (int b = 0; b < rows; b++) {
            counts[b] = connections.count(b);
        }
        double[] conf = connections.configurations();
        if (connected32 != null) {
            connected32.setBase(sigma, off, rows, logPsi, 0);
            requireNonZero(firstRow, rows);
            connected32.logRatios(conf, 0, slots, counts, ratios, 0);
        } else {
            connected64.setBase(sigma, off, rows, logPsi, 0);
            requireNonZero(firstRow, rows);
            connected64.logRatios(conf, 0, slots, counts, ratios, 0);
        }
        double[] el = connections.elements();
        for (int b = 0; b < rows; b++) {
            double sum = 0;
            for (int k = 0; k < counts[b]; k++) {
                double r = ratios[b * slots + k];
                // exp(-inf) = 0: a connected configuration the model gives amplitude 0 adds nothing.
                if (r > Double.NEGATIVE_INFINITY) {
                    sum += el[b * slots + k] * Math.exp(r);
                }
            }
            eLoc[eOff + b] = sum;
            if (logPsiOut != null) {
                logPsiOut[lOff + b] = logPsi[b];
            }
        }
    }

    private void requireNonZero(int firstRow, int rows) {
        for (int b = 0; b < rows; b++) {
            if (!(logPsi[b] > Double.NEGATIVE_INFINITY)) {
                throw new IllegalArgumentException("sigma: row " + (firstRow + b) + " has psi = 0 (logPsi = " + logPsi[b]
                        + "; outside " + hilbert + "'s sector?), so no local energy");
            }
        }
    }

    /**
     * {@link Evaluation#FULL_FORWARD}'s buffers in the model's precision: the packed connected
     * configurations of a chunk, their log-conditionals and the model's workspace.
     */
    private sealed interface FullForward permits FullForward32, FullForward64 {
        /** Copies {@code len} local values from {@code conf[from ..]} to packed position {@code to}. */
        void put(double[] conf, int from, int to, int len);

        /** logPsi of the first {@code total} packed configurations into {@code out}, in one model call. */
        void logPsi(int total, double[] out);

        /** Evaluates {@code model} (same configuration) from now on. */
        void setModel(AutoregressiveModel model);
    }

    private static final class FullForward32 implements FullForward {
        private ARNN model;
        private final HilbertSpace hilbert;
        private final float[] input;
        private final Tensor inputTensor;
        private final Tensor outTensor;
        private final Workspace workspace;

        FullForward32(ARNN model, int configurations) {
            this.model = model;
            this.hilbert = model.hilbert();
            int n = hilbert.size();
            this.input = new float[Math.multiplyExact(configurations, n)];
            this.inputTensor = Tensor.wrap(input, configurations, n);
            this.outTensor = Tensor.zeros(configurations, n, hilbert.localSize());
            this.workspace = model.newWorkspace();
        }

        @Override
        public void setModel(AutoregressiveModel model) {
            this.model = (ARNN) model;
        }

        @Override
        public void put(double[] conf, int from, int to, int len) {
            for (int e = 0; e < len; e++) {
                input[to + e] = (float) conf[from + e];
            }
        }

        @Override
        public void logPsi(int total, double[] out) {
            int n = hilbert.size();
            int ls = hilbert.localSize();
            model.conditionalsLogPsi(inputTensor.slice(0, total), outTensor.slice(0, total), workspace);
            float[] c = outTensor.array();
            for (int q = 0; q < total; q++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += c[(q * n + i) * ls + hilbert.localIndexOrNegative(input[q * n + i])];
                }
                out[q] = s;
            }
        }
    }

    private static final class FullForward64 implements FullForward {
        private ARNN64 model;
        private final HilbertSpace hilbert;
        private final double[] input;
        private final Tensor64 inputTensor;
        private final Tensor64 outTensor;
        private final Workspace64 workspace;

        FullForward64(ARNN64 model, int configurations) {
            this.model = model;
            this.hilbert = model.hilbert();
            int n = hilbert.size();
            this.input = new double[Math.multiplyExact(configurations, n)];
            this.inputTensor = Tensor64.wrap(input, configurations, n);
            this.outTensor = Tensor64.zeros(configurations, n, hilbert.localSize());
            this.workspace = model.newWorkspace();
        }

        @Override
        public void setModel(AutoregressiveModel model) {
            this.model = (ARNN64) model;
        }

        @Override
        public void put(double[] conf, int from, int to, int len) {
            System.arraycopy(conf, from, input, to, len);
        }

        @Override
        public void logPsi(int total, double[] out) {
            int n = hilbert.size();
            int ls = hilbert.localSize();
            model.conditionalsLogPsi(inputTensor.slice(0, total), outTensor.slice(0, total), workspace);
            double[] c = outTensor.array();
            for (int q = 0; q < total; q++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += c[(q * n + i) * ls + hilbert.localIndexOrNegative((float) input[q * n + i])];
                }
                out[q] = s;
            }
        }
    }
}
