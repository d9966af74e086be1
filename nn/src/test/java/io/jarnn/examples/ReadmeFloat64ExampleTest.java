package io.jarnn.examples;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The README's float64 example, verbatim between the markers, with its imports. */
class ReadmeFloat64ExampleTest {

    @Test
    void readmeFloat64ExampleRuns() {
        // README-FLOAT64-BEGIN
        HilbertSpace hilbert = HilbertSpace.spin(0.5, 20);
        ARNN64 model = ARNNDense.builder(hilbert)
                .layers(2).features(8).dtype(DType.FLOAT64)        // NetKet's default param_dtype
                .build64(42);                                       // every buffer a double[]

        Tensor64 sigma = hilbert.randomConfigurations(4, 7).toDoublePrecision();
        Tensor64 logPsi = model.logPsi(sigma);                      // (4,) in float64

        AutoregressiveModel single = model.to(DType.FLOAT32);       // an ARNN: parameters rounded
        Tensor logPsi32 = (Tensor) single.logPsi(sigma);            // agrees to float32 rounding
        // README-FLOAT64-END
        assertInstanceOf(ARNN64.class, AutoregressiveModel.initialise(model.config(), 42));
        assertEquals(DType.FLOAT32, single.dtype());
        for (int b = 0; b < 4; b++) {
            assertEquals(logPsi.getFlat(b), logPsi32.getFlat(b), 1e-4 * Math.max(1, Math.abs(logPsi.getFlat(b))));
        }
    }

    @Test
    void readmeShowsThisExampleWithItsImports() throws IOException {
        ReadmeBlocks.requireShownWithImports("ReadmeFloat64ExampleTest.java", "README-FLOAT64");
    }
}
