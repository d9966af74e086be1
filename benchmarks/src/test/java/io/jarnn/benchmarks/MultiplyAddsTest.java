package io.jarnn.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.MaskedConv1D;
import io.jarnn.nn.MaskedDense1D;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The closed forms the report relies on equal the library's own multiply-add counts. */
class MultiplyAddsTest {

    @Test
    void maskedDenseMatchesTheLayer() {
        for (boolean exclusive : new boolean[]{true, false}) {
            for (int[] s : new int[][]{{1, 1, 1}, {2, 3, 5}, {7, 4, 4}, {16, 1, 16}}) {
                MaskedDense1D layer = MaskedDense1D.fromNetKet(s[0], s[1], s[2], exclusive, false,
                        Tensor.zeros(s[0] * s[1], s[0] * s[2]), null, "");
                assertEquals(layer.multiplyAddsPerSample(), MultiplyAdds.maskedDense(s[0], s[1], s[2], exclusive),
                        "N=" + s[0] + " in=" + s[1] + " out=" + s[2] + " exclusive=" + exclusive);
            }
        }
    }

    @Test
    void maskedConv1DMatchesTheLayerIncludingTheEdgeSites() {
        for (boolean exclusive : new boolean[]{true, false}) {
            for (int kernelSize = 2; kernelSize <= 4; kernelSize++) {
                for (int dilation = 1; dilation <= 3; dilation++) {
                    for (int sites : new int[]{1, 2, 5, 17}) {
                        int taps = kernelSize - (exclusive ? 1 : 0);
                        MaskedConv1D layer = MaskedConv1D.fromNetKet(sites, 3, 2, kernelSize, dilation, exclusive,
                                false, Tensor.zeros(taps, 3, 2), null, "");
                        assertEquals(layer.multiplyAddsPerSample(),
                                MultiplyAdds.maskedConv1D(sites, 3, 2, kernelSize, dilation, exclusive),
                                "N=" + sites + " K=" + kernelSize + " d=" + dilation + " exclusive=" + exclusive);
                    }
                }
            }
        }
    }

    @Test
    void modelsMatchTheirLayers() {
        ARNN dense = ARNNDense.builder(HilbertSpace.spin(0.5, 9)).layers(3).features(5).build(1);
        assertEquals(dense.multiplyAddsPerSample(), MultiplyAdds.arnnDense(9, 3, 5, 2), "dense N=9 layers=3 f=5");
        ARNN conv = ARNNConv1D.builder(HilbertSpace.fock(2, 11)).layers(2).features(4).kernelSize(3).dilation(2).build(1);
        assertEquals(conv.multiplyAddsPerSample(), MultiplyAdds.arnnConv1D(11, 2, 4, 3, 3, 2),
                "conv N=11 layers=2 f=4 K=3 d=2 localSize=3");
    }

    @Test
    void benchmarkFlopCountsReadTheirParameters() {
        assertEquals(2L * 64 * MultiplyAdds.maskedDense(256, 16, 16, false),
                MaskedDenseForward.usefulFlopsPerOp(Map.of("shape", "N256-f16-b64")));
        assertEquals(2L * 1024 * MultiplyAdds.arnnConv1D(1024, 3, 16, 2, 3, 1),
                ThreadScaling.usefulFlopsPerOp(Map.of("model", "conv1d-N1024-f16-k3-d1", "batch", "1024", "threads", "2")));
        assertEquals(2L * 1024 * MultiplyAdds.arnnDense(256, 3, 16, 2),
                ThreadScaling.usefulFlopsPerOp(Map.of("model", "dense-N256-f16", "batch", "1024", "threads", "1")));
    }
}
