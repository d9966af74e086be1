package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything that defines an ARNN apart from its parameters: the Hilbert space, the layers'
 * {@link LayerSpec}s, first to last, {@code machinePow} and the {@link DType} the model computes
 * and stores its parameters in (float32 by default, jarnn's historical precision; float64 is
 * NetKet's {@code param_dtype}): an {@link ARNN} has a float32 configuration, an {@link ARNN64} a
 * float64 one. Validated at construction: the
 * stack must be autoregressive (the first layer exclusive, the rest inclusive), each layer must
 * take what the one before gives (the first takes 1 feature, the raw local value), all must
 * span the N sites and the last must give the local size. Immutable.
 *
 * <p>NetKet's models are built with {@link ARNNDense#builder}, {@link ARNNConv1D#builder} and
 * {@link ARNNConv2D#builder};
 * {@link #of} takes any valid stack.
 */
public final class ARNNConfig {
    private final HilbertSpace hilbert;
    private final List<LayerSpec> layers;
    private final float machinePow;
    private final DType dtype;

    private ARNNConfig(HilbertSpace hilbert, List<LayerSpec> layers, float machinePow, DType dtype) {
        this.hilbert = hilbert;
        this.layers = layers;
        this.machinePow = machinePow;
        this.dtype = dtype;
    }

    /** The float32 configuration of this stack of layers on {@code hilbert}; see the class comment for the rules. */
    public static ARNNConfig of(HilbertSpace hilbert, List<? extends LayerSpec> layers, float machinePow) {
        return of(hilbert, layers, machinePow, DType.FLOAT32);
    }

    /** The configuration of this stack of layers on {@code hilbert} in {@code dtype}. */
    public static ARNNConfig of(HilbertSpace hilbert, List<? extends LayerSpec> layers, float machinePow,
                                DType dtype) {
        if (hilbert == null) {
            throw new IllegalArgumentException("hilbert: expected a Hilbert space but got null");
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("layers: expected at least one layer but got "
                    + (layers == null ? "null" : "none"));
        }
        int previousOut = 1;
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec spec = layers.get(l);
            String where = "layers[" + l + "]";
            if (spec == null) {
                throw new IllegalArgumentException(where + ": expected a layer specification but got null");
            }
            if (spec.sites() != hilbert.size()) {
                throw new IllegalArgumentException(where + ".sites: expected N=" + hilbert.size() + " of " + hilbert
                        + " but got " + spec.sites());
            }
            if (spec.in() != previousOut) {
                throw new IllegalArgumentException(where + ".in: expected " + previousOut
                        + (l == 0 ? " (the raw local value)" : " (layers[" + (l - 1) + "].out)") + " but got " + spec.in());
            }
            if (spec.exclusive() != (l == 0)) {
                throw new IllegalArgumentException(where + ".exclusive: expected " + (l == 0)
                        + " (the first layer is exclusive, later ones inclusive) but got " + spec.exclusive());
            }
            previousOut = spec.out();
        }
        if (previousOut != hilbert.localSize()) {
            throw new IllegalArgumentException("layers[" + (layers.size() - 1) + "].out: expected the local size "
                    + hilbert.localSize() + " of " + hilbert + " but got " + previousOut);
        }
        if (!(machinePow > 0) || !Float.isFinite(machinePow)) {
            throw new IllegalArgumentException("machinePow: expected a finite value > 0 but got " + machinePow);
        }
        if (dtype == null) {
            throw new IllegalArgumentException("dtype: expected float32 or float64 but got null");
        }
        return new ARNNConfig(hilbert, List.copyOf(layers), machinePow, dtype);
    }

    public HilbertSpace hilbert() {
        return hilbert;
    }

    /** The layer specifications, first (exclusive) to last. */
    public List<LayerSpec> layerSpecs() {
        return layers;
    }

    /** Number of layers. */
    public int layers() {
        return layers.size();
    }

    /** Output width of every layer (a copy); the last entry is the local size. */
    public int[] features() {
        return layers.stream().mapToInt(LayerSpec::out).toArray();
    }

    public float machinePow() {
        return machinePow;
    }

    /** The element type of the model's parameters and arithmetic. */
    public DType dtype() {
        return dtype;
    }

    /** The same layers with another {@code machinePow}. */
    public ARNNConfig withMachinePow(float machinePow) {
        return of(hilbert, layers, machinePow, dtype);
    }

    /** The same model in another precision. */
    public ARNNConfig withDType(DType dtype) {
        return of(hilbert, layers, machinePow, dtype);
    }

    /** Multiply-adds one full forward of one sample needs (masked work excluded). */
    public long multiplyAddsPerSample() {
        return layers.stream().mapToLong(LayerSpec::multiplyAddsPerSample).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ARNNConfig c && c.hilbert.equals(hilbert) && c.layers.equals(layers)
                && Float.compare(c.machinePow, machinePow) == 0 && c.dtype == dtype;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hilbert, layers, machinePow, dtype);
    }

    /**
     * NetKet's constructor call when the stack is one of NetKet's models, e.g.
     * {@code ARNNConv1D(hilbert=Spin(s=1/2, N=100), layers=3, features=[16, 16, 2], kernel_size=3,
     * kernel_dilation=1, use_bias=true, machine_pow=2.0)}; otherwise the list of layers. A float64
     * configuration ends in {@code param_dtype=float64}; float32, jarnn's default, is not named.
     */
    @Override
    public String toString() {
        String netKet = ARNNDense.describe(this);
        if (netKet == null) {
            netKet = ARNNConv1D.describe(this);
        }
        if (netKet == null) {
            netKet = ARNNConv2D.describe(this);
        }
        String call = netKet != null ? netKet
                : "ARNN(hilbert=" + hilbert + ", layers=" + layers + ", machine_pow=" + machinePow + ")";
        return dtype == DType.FLOAT32 ? call : call.substring(0, call.length() - 1) + ", param_dtype=" + dtype + ")";
    }

    /**
     * NetKet's arguments common to its ARNN models, with their defaults (bias on, machinePow 2,
     * two layers of 16 hidden features); {@code B} is the model's own builder.
     */
    public abstract static class Builder<B extends Builder<B>> {
        private final HilbertSpace hilbert;
        private int layers = 2;
        private int hiddenWidth = 16;
        private int[] perLayerFeatures;
        private boolean useBias = true;
        private float machinePow = 2f;
        private DType dtype = DType.FLOAT32;

        Builder(HilbertSpace hilbert) {
            if (hilbert == null) {
                throw new IllegalArgumentException("hilbert: expected a Hilbert space but got null");
            }
            this.hilbert = hilbert;
        }

        abstract B self();

        /** The spec of one layer, at its place in the stack. */
        abstract LayerSpec layer(int sites, int in, int out, boolean exclusive, boolean useBias);

        public B layers(int layers) {
            this.layers = layers;
            return self();
        }

        /** Width of every hidden layer; the last layer has the local size (NetKet's int form). */
        public B features(int hiddenWidth) {
            this.hiddenWidth = hiddenWidth;
            this.perLayerFeatures = null;
            return self();
        }

        /** Width of every layer (NetKet's list form): {@code layers} entries, the last the local size. */
        public B features(int... perLayer) {
            if (perLayer == null) {
                throw new IllegalArgumentException("features: expected a list of ints but got null");
            }
            this.perLayerFeatures = perLayer.clone();
            return self();
        }

        public B bias(boolean useBias) {
            this.useBias = useBias;
            return self();
        }

        public B machinePow(float machinePow) {
            this.machinePow = machinePow;
            return self();
        }

        /**
         * {@code machinePow} rounded to the nearest float: a configuration keeps it in float32 in
         * either precision (NetKet's is an int, 2 by default), and a float64 model computes with
         * that value widened.
         */
        public B machinePow(double machinePow) {
            return machinePow((float) machinePow);
        }

        /** The precision of the model (default float32; NetKet's {@code param_dtype}). */
        public B dtype(DType dtype) {
            this.dtype = dtype;
            return self();
        }

        /** The validated configuration. */
        public ARNNConfig config() {
            int[] features = resolveFeatures(layers, hiddenWidth, perLayerFeatures, hilbert.localSize());
            LayerSpec[] specs = new LayerSpec[features.length];
            for (int l = 0; l < specs.length; l++) {
                specs[l] = layer(hilbert.size(), l == 0 ? 1 : features[l - 1], features[l], l == 0, useBias);
            }
            return of(hilbert, List.of(specs), machinePow, dtype);
        }

        /**
         * A float32 model with parameters initialised from {@code seed} (NetKet's distribution).
         *
         * @throws IllegalArgumentException if {@link #dtype} was set to float64 (use
         *                                  {@link #build64} or {@link #buildModel})
         */
        public ARNN build(long seed) {
            return ARNN.initialise(config(), seed);
        }

        /** This configuration in float64, initialised from {@code seed} (whatever {@link #dtype} says). */
        public ARNN64 build64(long seed) {
            return ARNN64.initialise(config().withDType(DType.FLOAT64), seed);
        }

        /** A model in the precision {@link #dtype} names, initialised from {@code seed}. */
        public AutoregressiveModel buildModel(long seed) {
            return AutoregressiveModel.initialise(config(), seed);
        }

        /**
         * NetKet's rule: an int gives {@code layers - 1} hidden layers of that width and a last
         * layer of width localSize; a list must have {@code layers} entries, the last being localSize.
         */
        private static int[] resolveFeatures(int layers, int hiddenWidth, int[] perLayer, int localSize) {
            if (layers < 1) {
                throw new IllegalArgumentException("layers: expected >= 1 but got " + layers);
            }
            int[] resolved;
            if (perLayer == null) {
                resolved = new int[layers];
                Arrays.fill(resolved, hiddenWidth);
                resolved[layers - 1] = localSize;
            } else {
                if (perLayer.length != layers) {
                    throw new IllegalArgumentException("features: expected a list of length layers=" + layers
                            + " but got " + perLayer.length + " entries " + Arrays.toString(perLayer));
                }
                if (perLayer[layers - 1] != localSize) {
                    throw new IllegalArgumentException("features: expected the last entry to be the local size "
                            + localSize + " but got " + Arrays.toString(perLayer));
                }
                resolved = perLayer.clone();
            }
            for (int f : resolved) {
                if (f < 1) {
                    throw new IllegalArgumentException("features: expected every entry >= 1 but got "
                            + Arrays.toString(resolved));
                }
            }
            return resolved;
        }
    }
}
