package io.jarnn.benchmarks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One masked-dense case as a single JMH parameter, {@code N256-f16-b64}: N sites, f features per
 * site in and out, a batch of b samples. One parameter instead of three because JMH runs the
 * cartesian product of its parameters, and the suite needs N*f <= 4096 and lets the slow
 * baselines skip their largest batches.
 */
record DenseShape(int sites, int features, int batch) {
    private static final Pattern FORMAT = Pattern.compile("N(\\d+)-f(\\d+)-b(\\d+)");

    static DenseShape parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("shape: expected N<sites>-f<features>-b<batch>, e.g. N256-f16-b64, but got '"
                    + text + "'");
        }
        return new DenseShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** Width of one sample's input and output row: N * f. */
    int width() {
        return sites * features;
    }

    /** 2 x useful (unmasked) multiply-adds of one forward of the whole batch. */
    long usefulFlops() {
        return 2L * batch * MultiplyAdds.maskedDense(sites, features, features, false);
    }
}
