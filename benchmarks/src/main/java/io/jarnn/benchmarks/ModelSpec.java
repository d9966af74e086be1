package io.jarnn.benchmarks;

import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 3-layer spin-1/2 model as one JMH parameter: {@code dense-N256-f16} or
 * {@code conv1d-N1024-f16-k3-d1} (sites, features, kernel size, dilation), so that one benchmark
 * can sweep other parameters (threads) over models of different kinds.
 */
record ModelSpec(boolean conv, int sites, int features, int kernelSize, int dilation) {
    static final int LAYERS = 3;
    private static final Pattern DENSE = Pattern.compile("dense-N(\\d+)-f(\\d+)");
    private static final Pattern CONV = Pattern.compile("conv1d-N(\\d+)-f(\\d+)-k(\\d+)-d(\\d+)");

    static ModelSpec parse(String text) {
        Matcher d = DENSE.matcher(text);
        if (d.matches()) {
            return new ModelSpec(false, Integer.parseInt(d.group(1)), Integer.parseInt(d.group(2)), 0, 0);
        }
        Matcher c = CONV.matcher(text);
        if (c.matches()) {
            return new ModelSpec(true, Integer.parseInt(c.group(1)), Integer.parseInt(c.group(2)),
                    Integer.parseInt(c.group(3)), Integer.parseInt(c.group(4)));
        }
        throw new IllegalArgumentException("model: expected dense-N<sites>-f<features> or "
                + "conv1d-N<sites>-f<features>-k<kernelSize>-d<dilation> but got '" + text + "'");
    }

    ARNNConfig config() {
        HilbertSpace hilbert = HilbertSpace.spin(0.5, sites);
        var builder = conv
                ? ARNNConv1D.builder(hilbert).kernelSize(kernelSize).dilation(dilation)
                : ARNNDense.builder(hilbert);
        return builder.layers(LAYERS).features(features).bias(true).machinePow(2f).config();
    }

    ARNN build(long seed) {
        return ARNN.initialise(config(), seed);
    }

    /** The library's count for this model (see {@link MultiplyAdds#model}). */
    long multiplyAddsPerSample() {
        return MultiplyAdds.model(config());
    }
}
