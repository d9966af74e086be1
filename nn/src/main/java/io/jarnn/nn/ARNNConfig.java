package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;

import java.util.Arrays;

/**
 * Everything that defines an ARNN apart from its parameters: the kind, the Hilbert space,
 * {@code layers}, the per-layer {@code features}, the convolution's kernel size and dilation,
 * whether layers have a bias, and {@code machinePow}. Validated at construction with NetKet's
 * checks. Immutable.
 */
public final class ARNNConfig {
    /** The two network families. */
    public enum Kind {
        DENSE("ARNNDense"), CONV1D("ARNNConv1D");

        private final String netKetName;

        Kind(String netKetName) {
            this.netKetName = netKetName;
        }

        public String netKetName() {
            return netKetName;
        }
    }

    private final Kind kind;
    private final HilbertSpace hilbert;
    private final int[] features;
    private final int kernelSize;
    private final int dilation;
    private final boolean useBias;
    private final float machinePow;

    private ARNNConfig(Builder b) {
        this.kind = b.kind;
        this.hilbert = b.hilbert;
        this.features = resolveFeatures(b.layers, b.hiddenWidth, b.perLayerFeatures, hilbert.localSize());
        if (kind == Kind.CONV1D) {
            MaskedConv1D.requireKernelSize(b.kernelSize);
            MaskedConv1D.requireDilation(b.dilation);
        }
        this.kernelSize = kind == Kind.CONV1D ? b.kernelSize : 0;
        this.dilation = kind == Kind.CONV1D ? b.dilation : 0;
        this.useBias = b.useBias;
        if (!(b.machinePow > 0) || !Float.isFinite(b.machinePow)) {
            throw new IllegalArgumentException("machinePow: expected a finite value > 0 but got " + b.machinePow);
        }
        this.machinePow = b.machinePow;
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

    public static Builder builder(Kind kind, HilbertSpace hilbert) {
        return new Builder(kind, hilbert);
    }

    public Kind kind() {
        return kind;
    }

    public HilbertSpace hilbert() {
        return hilbert;
    }

    public int layers() {
        return features.length;
    }

    /** Output width of every layer (a copy); the last entry is the local size. */
    public int[] features() {
        return features.clone();
    }

    int feature(int layer) {
        return features[layer];
    }

    /** Input width of layer l: 1 (the raw local value) for the first layer. */
    int inFeatures(int layer) {
        return layer == 0 ? 1 : features[layer - 1];
    }

    /** Convolution kernel size K (0 for dense models). */
    public int kernelSize() {
        return kernelSize;
    }

    /** Convolution dilation d (0 for dense models). */
    public int dilation() {
        return dilation;
    }

    public boolean useBias() {
        return useBias;
    }

    public float machinePow() {
        return machinePow;
    }

    /** A builder holding this configuration, to derive a modified one. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, hilbert).layers(layers()).features(features.clone()).bias(useBias).machinePow(machinePow);
        if (kind == Kind.CONV1D) {
            b.kernelSize(kernelSize).dilation(dilation);
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ARNNConfig c && c.kind == kind && c.hilbert.equals(hilbert)
                && Arrays.equals(c.features, features) && c.kernelSize == kernelSize && c.dilation == dilation
                && c.useBias == useBias && Float.compare(c.machinePow, machinePow) == 0;
    }

    @Override
    public int hashCode() {
        return ((kind.hashCode() * 31 + hilbert.hashCode()) * 31 + Arrays.hashCode(features)) * 31
                + kernelSize * 7 + dilation;
    }

    @Override
    public String toString() {
        return kind.netKetName() + "(hilbert=" + hilbert + ", layers=" + layers() + ", features="
                + Arrays.toString(features)
                + (kind == Kind.CONV1D ? ", kernel_size=" + kernelSize + ", kernel_dilation=" + dilation : "")
                + ", use_bias=" + useBias + ", machine_pow=" + machinePow + ")";
    }

    /** Defaults follow NetKet: bias on, machinePow 2, kernel size 3 and dilation 1 for conv1d. */
    public static final class Builder {
        private final Kind kind;
        private final HilbertSpace hilbert;
        private int layers = 2;
        private int hiddenWidth = 16;
        private int[] perLayerFeatures;
        private int kernelSize = 3;
        private int dilation = 1;
        private boolean useBias = true;
        private float machinePow = 2f;

        private Builder(Kind kind, HilbertSpace hilbert) {
            if (kind == null) {
                throw new IllegalArgumentException("kind: expected DENSE or CONV1D but got null");
            }
            if (hilbert == null) {
                throw new IllegalArgumentException("hilbert: expected a Hilbert space but got null");
            }
            this.kind = kind;
            this.hilbert = hilbert;
        }

        public Builder layers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Width of every hidden layer; the last layer has the local size (NetKet's int form). */
        public Builder features(int hiddenWidth) {
            this.hiddenWidth = hiddenWidth;
            this.perLayerFeatures = null;
            return this;
        }

        /** Width of every layer (NetKet's list form): {@code layers} entries, the last the local size. */
        public Builder features(int... perLayer) {
            if (perLayer == null) {
                throw new IllegalArgumentException("features: expected a list of ints but got null");
            }
            this.perLayerFeatures = perLayer.clone();
            return this;
        }

        public Builder kernelSize(int kernelSize) {
            requireConv("kernelSize");
            this.kernelSize = kernelSize;
            return this;
        }

        public Builder dilation(int dilation) {
            requireConv("dilation");
            this.dilation = dilation;
            return this;
        }

        public Builder bias(boolean useBias) {
            this.useBias = useBias;
            return this;
        }

        public Builder machinePow(float machinePow) {
            this.machinePow = machinePow;
            return this;
        }

        private void requireConv(String what) {
            if (kind != Kind.CONV1D) {
                throw new IllegalArgumentException(what + ": only an ARNNConv1D has one, this is an "
                        + kind.netKetName());
            }
        }

        /** The validated configuration. */
        public ARNNConfig config() {
            return new ARNNConfig(this);
        }

        /** A model with parameters initialised from {@code seed} (NetKet's distribution). */
        public ARNN build(long seed) {
            return ARNN.initialise(config(), seed);
        }
    }
}
