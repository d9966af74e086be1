package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.LayerSpec;
import io.jarnn.nn.ParameterKeys;
import io.jarnn.nn.SiteCache;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.quicktheories.generators.SourceDSL.integers;

/**
 * One generated misuse of the public model API, for property 9. {@link #perform} makes the
 * invalid call; it must throw {@link IllegalArgumentException} and nothing else. Each record's
 * toString says what is wrong, so a shrunk counterexample reads as a sentence.
 */
sealed interface InvalidUse {

    /**
     * Makes the invalid call on {@code m}, whose valid inputs include {@code x} (batch >= 2).
     * Returns false when the misuse cannot be expressed for this model (e.g. no used kernel entry
     * to poison), so the property skips the case.
     */
    boolean perform(ARNN m, Tensor x);

    /** The model calls that take a (batch, N) tensor of local values. */
    enum InputCall {
        CONDITIONALS_LOG_PSI, CONDITIONALS, CONDITIONAL_OF_SITE, LOG_PSI, LOG_PSI_OF_ONE, INTO_WORKSPACE, CACHED
    }

    /** How a valid input is corrupted: its shape, or one value at a chosen position. */
    enum InputDefect {
        RANK_1(false), RANK_3(false), FEWER_SITES(false), MORE_SITES(false), NULL(false),
        ABOVE_VALUES(true), BELOW_VALUES(true), BETWEEN_VALUES(true), NAN(true), POSITIVE_INFINITY(true),
        NEGATIVE_INFINITY(true),
        /**
         * A local value plus one ulp of the input's precision: no local value, although in float64
         * it rounds to one in float32 (an input must equal a local value exactly).
         */
        ONE_ULP_ABOVE_VALUE(true);

        private final boolean atPosition;

        InputDefect(boolean atPosition) {
            this.atPosition = atPosition;
        }
    }

    /** A corrupted input given to one of the input calls; the position is taken modulo the shape. */
    record BadInput(InputCall call, InputDefect defect, int rowChoice, int siteChoice) implements InvalidUse {
        @Override
        public boolean perform(ARNN m, Tensor x) {
            HilbertSpace h = m.hilbert();
            int n = h.size();
            int row = rowChoice % x.dim(0);
            // The cached path reads column i-1 at site i, so column N-1 is never read: a defect
            // there is not an error of that call. Place it where site+1 will read it.
            int site = call == InputCall.CACHED ? (n == 1 ? -1 : siteChoice % (n - 1)) : siteChoice % n;
            if (site < 0 && defect.atPosition) {
                return false;
            }
            Tensor bad = corrupt(x, h, row, site);
            switch (call) {
                case CONDITIONALS_LOG_PSI -> m.conditionalsLogPsi(bad);
                case CONDITIONALS -> m.conditionals(bad);
                case CONDITIONAL_OF_SITE -> m.conditional(bad, 0);
                case LOG_PSI -> m.logPsi(bad);
                case LOG_PSI_OF_ONE -> m.logPsi(bad == null ? null
                        : bad.rank() == 2 ? ConditionalRows.configuration(bad, row) : bad.toArray());
                case INTO_WORKSPACE -> m.conditionalsLogPsi(bad, Tensor.zeros(x.dim(0), n, h.localSize()),
                        m.newWorkspace());
                case CACHED -> {
                    SiteCache cache = m.newCache(x.dim(0));
                    for (int i = 0; i < n; i++) {
                        m.conditional(cache, bad, i);
                    }
                }
            }
            return true;
        }

        private Tensor corrupt(Tensor x, HilbertSpace h, int row, int site) {
            int batch = x.dim(0);
            int n = h.size();
            float[] values = Build.localValues(h);
            Arrays.sort(values);
            Tensor bad = x.copy();
            switch (defect) {
                case RANK_1 -> bad = bad.reshape(batch * n);
                case RANK_3 -> bad = bad.reshape(batch, n, 1);
                // With N = 1 there is no shorter row: two sites too many instead.
                case FEWER_SITES -> bad = n > 1 ? Tensor.zeros(batch, n - 1) : Tensor.zeros(batch, n + 2);
                case MORE_SITES -> bad = Tensor.zeros(batch, n + 1);
                case ABOVE_VALUES -> bad.set(values[values.length - 1] + 0.5f, row, site);
                case BELOW_VALUES -> bad.set(values[0] - 1000f, row, site);
                case BETWEEN_VALUES -> bad.set((values[0] + values[1]) / 2, row, site);
                case ONE_ULP_ABOVE_VALUE -> bad.set(values[0] + Math.ulp(values[0]), row, site);
                case NAN -> bad.set(Float.NaN, row, site);
                case POSITIVE_INFINITY -> bad.set(Float.POSITIVE_INFINITY, row, site);
                case NEGATIVE_INFINITY -> bad.set(Float.NEGATIVE_INFINITY, row, site);
                case NULL -> bad = null;
            }
            if (defect == InputDefect.FEWER_SITES || defect == InputDefect.MORE_SITES) {
                // Filled with valid local values, so the shape is the only defect.
                Arrays.fill(bad.array(), h.localValue(0));
            }
            return bad;
        }

        @Override
        public String toString() {
            return call + " given an input with defect " + defect + " (row choice " + rowChoice + ", site choice "
                    + siteChoice + ")";
        }
    }

    /** How a parameter map is corrupted. */
    enum ParameterDefect { KERNEL_SHAPE, BIAS_SHAPE, KERNEL_RANK, NAN_IN_USED_KERNEL_ENTRY, INFINITY_IN_BIAS,
        MISSING_KERNEL, EXTRA_KEY, NULL_TENSOR, NULL_MAP }

    /** A corrupted parameter map given to {@code withParameters} or {@code ARNN.fromParameters}. */
    record BadParameters(ParameterDefect defect, int layerChoice, int entryChoice, boolean viaFromParameters)
            implements InvalidUse {
        @Override
        public boolean perform(ARNN m, Tensor x) {
            int layers = m.layers().size();
            int layer = layerChoice % layers;
            boolean bias = m.layers().getFirst().useBias();
            Map<String, Tensor> params = m.parameters();
            String kernelKey = ParameterKeys.kernel(layer);
            Tensor kernel = params.get(kernelKey);
            switch (defect) {
                case KERNEL_SHAPE -> params.put(kernelKey, Tensor.zeros(grow(kernel.shape(), entryChoice)));
                case BIAS_SHAPE -> {
                    if (!bias) {
                        return false;
                    }
                    Tensor b = params.get(ParameterKeys.bias(layer));
                    params.put(ParameterKeys.bias(layer), Tensor.zeros(grow(b.shape(), entryChoice)));
                }
                case KERNEL_RANK -> params.put(kernelKey, kernel.reshape(kernel.size()));
                case NAN_IN_USED_KERNEL_ENTRY -> {
                    int[] used = usedKernelEntries(m, layer);
                    if (used.length == 0) {
                        return false;
                    }
                    kernel.array()[kernel.offset() + used[entryChoice % used.length]] = Float.NaN;
                }
                case INFINITY_IN_BIAS -> {
                    if (!bias) {
                        return false;
                    }
                    Tensor b = params.get(ParameterKeys.bias(layer));
                    b.array()[b.offset() + entryChoice % b.size()] = Float.POSITIVE_INFINITY;
                }
                case MISSING_KERNEL -> params.remove(kernelKey);
                case EXTRA_KEY -> params.put(ParameterKeys.kernel(layers), kernel);
                case NULL_TENSOR -> params.put(kernelKey, null);
                case NULL_MAP -> params = null;
            }
            if (viaFromParameters) {
                ARNN.fromParameters(m.config(), params);
            } else {
                m.withParameters(params);
            }
            return true;
        }

        private static int[] grow(int[] shape, int choice) {
            int[] s = shape.clone();
            s[choice % s.length] += 1;
            return s;
        }

        /** Flat indices of the kernel entries the model uses (all of a conv kernel, the unmasked dense ones). */
        private static int[] usedKernelEntries(ARNN m, int layer) {
            Tensor k = m.parameters().get(ParameterKeys.kernel(layer));
            if (k.rank() == 4) {
                // conv2d (kh, kw, in, out): the last kernel row is masked from column kw/2 (exclusive
                // first layer) or kw/2 + 1 (inclusive) on.
                int kh = k.dim(0);
                int kw = k.dim(1);
                int block = k.dim(2) * k.dim(3);
                return IntStream.range(0, k.size()).filter(i -> {
                    int position = i / block;
                    return position / kw < kh - 1 || position % kw < kw / 2 + (layer == 0 ? 0 : 1);
                }).toArray();
            }
            if (k.rank() != 2) {
                int[] all = new int[k.size()];
                Arrays.setAll(all, i -> i);
                return all;
            }
            int n = m.hilbert().size();
            int in = k.dim(0) / n;
            int out = k.dim(1) / n;
            return IntStream.range(0, k.size())
                    .filter(i -> DenseMask.used(layer, (i / k.dim(1)) / in, (i % k.dim(1)) / out)).toArray();
        }

        @Override
        public String toString() {
            return (viaFromParameters ? "ARNN.fromParameters" : "withParameters") + " given parameters with defect "
                    + defect + " (layer choice " + layerChoice + ", entry choice " + entryChoice + ")";
        }
    }

    /** Out-of-range indices and counts, a foreign workspace and a mis-shaped output. */
    enum Misuse { SITE_BELOW_ZERO, SITE_N, ZERO_THREADS, NEGATIVE_THREADS, EMPTY_CACHE, FOREIGN_WORKSPACE,
        WRONG_OUT_SHAPE, CACHED_OUT_SHAPE, NULL_KERNELS, NULL_CACHE }

    /** One of the call-level misuses. */
    record BadCall(Misuse misuse) implements InvalidUse {
        @Override
        public boolean perform(ARNN m, Tensor x) {
            HilbertSpace h = m.hilbert();
            int batch = x.dim(0);
            switch (misuse) {
                case SITE_BELOW_ZERO -> m.conditional(x, -1);
                case SITE_N -> m.conditional(x, h.size());
                case ZERO_THREADS -> m.withThreads(0);
                case NEGATIVE_THREADS -> m.withThreads(-3);
                case EMPTY_CACHE -> m.newCache(0);
                case FOREIGN_WORKSPACE -> {
                    ARNN other = foreign(m);
                    m.conditionalsLogPsi(x, Tensor.zeros(batch, h.size(), h.localSize()), other.newWorkspace());
                }
                case WRONG_OUT_SHAPE -> m.conditionalsLogPsi(x, Tensor.zeros(batch, h.size() + 1, h.localSize()),
                        m.newWorkspace());
                case CACHED_OUT_SHAPE -> m.conditional(m.newCache(batch), x, 0, Tensor.zeros(batch, h.localSize() + 1));
                case NULL_KERNELS -> m.withKernels(null);
                case NULL_CACHE -> m.conditional(null, x, 0);
            }
            return true;
        }

        /** The same architecture on N + 3 sites: its workspace holds differently sized chunks. */
        private static ARNN foreign(ARNN m) {
            ARNNConfig c = m.config();
            HilbertSpace bigger = HilbertSpace.ofLocalValues(c.hilbert().size() + 3, c.hilbert().localValues());
            List<LayerSpec> layers = c.layerSpecs().stream().map(l -> l.onSites(bigger.size())).toList();
            return ARNN.initialise(ARNNConfig.of(bigger, layers, c.machinePow(), c.dtype()), 1);
        }

        @Override
        public String toString() {
            return "call misuse " + misuse;
        }
    }

    /** Bad inputs, bad parameters and bad calls, 6 : 3 : 1. */
    static Gen<InvalidUse> all() {
        Gen<InvalidUse> inputs = Generate.enumValues(InputCall.class).zip(Generate.enumValues(InputDefect.class),
                integers().between(0, 100), integers().between(0, 100), BadInput::new);
        Gen<InvalidUse> parameters = Generate.enumValues(ParameterDefect.class).zip(integers().between(0, 100),
                integers().between(0, 10_000), Generate.pick(List.of(false, true)), BadParameters::new);
        Gen<InvalidUse> calls = Generate.enumValues(Misuse.class).map(BadCall::new);
        return Gens.frequency(new int[]{6, 3, 1}, List.of(inputs, parameters, calls));
    }
}
