package io.jarnn.examples;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv2D;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.SiteCache;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's ARNNConv2D example, verbatim between the markers, with its imports. */
class ReadmeConv2DExampleTest {

    @Test
    void readmeConv2DExampleRuns() {
        // README-CONV2D-BEGIN
        HilbertSpace hilbert = HilbertSpace.spin(0.5, 16 * 16);      // N = L * L, row by row
        ARNN model = ARNNConv2D.builder(hilbert)
                .layers(3).features(16).kernelSize(3, 2).dilation(1, 1) // NetKet's ARNNConv2D arguments
                .build(42);

        Tensor sigma = hilbert.randomConfigurations(8, 7);
        Tensor p = model.conditionals(sigma);                        // (8, 256, 2)
        SiteCache cache = model.newCache(8);                         // keeps 3 image rows per layer
        Tensor p0 = model.conditional(cache, sigma, 0);              // == p[:, 0, :]
        Tensor samples = DirectSampler.of(model).sample(1000, 2024, false).configurations();
        // README-CONV2D-END
        assertEquals(256, p.dim(1));
        for (int b = 0; b < 8; b++) {
            assertEquals(p.get(b, 0, 0), p0.get(b, 0), 1e-6);
        }
        assertEquals(1000, samples.dim(0));
    }

    @Test
    void readmeShowsThisExampleWithItsImports() throws IOException {
        ReadmeBlocks.requireShownWithImports("ReadmeConv2DExampleTest.java", "README-CONV2D");
    }
}
