package io.jarnn.examples;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.Samples;
import io.jarnn.nn.SiteCache;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's API example, verbatim between the markers, and its imports (this file's
 * {@code io.jarnn} imports), so that what the README shows always compiles.
 */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() {
        // README-EXAMPLE-BEGIN
        HilbertSpace hilbert = HilbertSpace.spin(0.5, 100);          // NetKet's Spin(1/2, N=100)
        ARNN model = ARNNConv1D.builder(hilbert)
                .layers(3).features(16).kernelSize(3).dilation(1)  // NetKet's ARNNConv1D arguments
                .machinePow(2f)
                .build(42);                                         // LeCun-normal init from a seed

        Tensor sigma = hilbert.randomConfigurations(8, 7);          // (batch, N) of local values
        Tensor p = model.conditionals(sigma);                       // (8, 100, 2), rows sum to 1
        Tensor logPsi = model.logPsi(sigma);                        // (8,)

        SiteCache cache = model.newCache(8);                        // per-site evaluation, O(1) per site
        Tensor p0 = model.conditional(cache, sigma, 0);             // == p[:, 0, :]

        Samples samples = DirectSampler.of(model).sample(1000, 2024, true);
        Tensor configurations = samples.configurations();           // (1000, 100), exact samples
        Tensor logProb = samples.logProbabilities();                // 2 * logPsi of each sample
        // README-EXAMPLE-END
        assertEquals(2, p.dim(2));
        assertEquals(8, logPsi.dim(0));
        assertEquals(p.get(3, 0, 1), p0.get(3, 1), 1e-6);
        assertEquals(100, configurations.dim(1));
        assertEquals(2 * model.logPsi(configurations.row(0).reshape(1, 100)).get(0), logProb.get(0), 1e-4);
    }

    @Test
    void readmeShowsThisExampleWithItsImports() throws IOException {
        ReadmeBlocks.requireShownWithImports("ReadmeExampleTest.java", "README-EXAMPLE");
    }
}
