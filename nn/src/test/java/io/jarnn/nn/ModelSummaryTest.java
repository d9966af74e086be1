package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSummaryTest {

    /**
     * Dense, N=4, features [3, 2], bias. Layer 0 (exclusive, in=1, out=3): output site j sees j
     * input sites, so 0+1+2+3 = 6 used rows of 3 columns = 18 weights, plus a (4, 3) bias = 30;
     * NetKet stores the full (4, 12) kernel: 48 + 12 = 60. Layer 1 (inclusive, in=3, out=2): site j
     * sees j+1 sites of 3 features, 1+2+3+4 = 10 sites * 3 * 2 = 60 weights, plus (4, 2) = 68;
     * NetKet: (12, 8) = 96 + 8 = 104.
     */
    @Test
    void denseCountsAndShapesMatchAHandCount() {
        ARNN model = ARNNDense.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3).build(1);
        ModelSummary s = model.summary(8);
        assertEquals(8, s.batch());
        assertEquals(2, s.layers().size());
        ModelSummary.Layer l0 = s.layers().get(0);
        assertEquals("_layers_0", l0.path());
        assertEquals("MaskedDense1D", l0.type());
        assertEquals(List.of(8, 4, 1), l0.inputShape());
        assertEquals(List.of(8, 4, 3), l0.outputShape());
        assertEquals(Map.of("kernel", List.of(4, 12), "bias", List.of(4, 3)), l0.parameterShapes());
        assertEquals(List.of("kernel", "bias"), List.copyOf(l0.parameterShapes().keySet()));
        assertEquals(30, l0.storedParameters());
        assertEquals(30, l0.effectiveParameters());
        assertEquals(60, l0.netKetParameters());
        assertEquals(120, l0.bytes());
        ModelSummary.Layer l1 = s.layers().get(1);
        assertEquals(List.of(8, 4, 3), l1.inputShape());
        assertEquals(List.of(8, 4, 2), l1.outputShape());
        assertEquals(Map.of("kernel", List.of(12, 8), "bias", List.of(4, 2)), l1.parameterShapes());
        assertEquals(68, l1.storedParameters());
        assertEquals(104, l1.netKetParameters());
        assertEquals(98, s.storedParameters());
        assertEquals(98, s.effectiveParameters());
        assertEquals(164, s.netKetParameters());
        assertEquals(392, s.bytes());
    }

    /** The NetKet count is exactly what the saved arrays hold. */
    @Test
    void netKetCountEqualsTheParameterArraySizes() {
        ARNN model = ARNNConv1D.builder(HilbertSpace.spin(1, 7)).layers(3).features(5, 4, 3).kernelSize(4).dilation(2)
                .build(2);
        long arrays = model.parameters().values().stream().mapToLong(t -> t.size()).sum();
        assertEquals(arrays, model.summary(1).netKetParameters());
    }

    /**
     * Conv, kernel size 3, features [4, 2], no bias: the exclusive layer has K-1 = 2 taps,
     * (2, 1, 4) = 8; the inclusive one (3, 4, 2) = 24; nothing is masked inside a stored kernel.
     */
    @Test
    void convWithoutBiasCountsOnlyKernels() {
        ARNN model = ARNNConv1D.builder(HilbertSpace.spin(0.5, 10)).layers(2).features(4).kernelSize(3).bias(false)
                .build(3);
        ModelSummary s = ModelSummary.of(model, 2);
        assertEquals(Map.of("kernel", List.of(2, 1, 4)), s.layers().get(0).parameterShapes());
        assertEquals(Map.of("kernel", List.of(3, 4, 2)), s.layers().get(1).parameterShapes());
        assertEquals(List.of(2, 10, 4), s.layers().get(1).inputShape());
        assertEquals(8, s.layers().get(0).storedParameters());
        assertEquals(24, s.layers().get(1).storedParameters());
        assertEquals(32, s.netKetParameters());
        assertEquals(128, s.bytes());
    }

    @Test
    void tableShowsEveryLayerAndTheTotals() {
        ARNN model = ARNNDense.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3).build(1);
        String table = model.summary(8).toString();
        List<String> lines = table.lines().toList();
        assertEquals(model.toString(), lines.get(0));
        assertEquals("inputs float32[8,4] (local values) -> conditionals float32[8,4,2]", lines.get(1));
        assertTrue(lines.get(3).matches("path +type +input +output +parameters +stored +effective +NetKet +bytes"),
                lines.get(3));
        assertTrue(lines.get(5).matches("_layers_0 +MaskedDense1D +float32\\[8,4,1] +float32\\[8,4,3] +"
                + "kernel float32\\[4,12], bias float32\\[4,3] +30 +30 +60 +120"), lines.get(5));
        assertTrue(lines.get(6).matches("_layers_1 +MaskedDense1D +float32\\[8,4,3] +float32\\[8,4,2] +"
                + "kernel float32\\[12,8], bias float32\\[4,2] +68 +68 +104 +272"), lines.get(6));
        assertTrue(lines.get(8).matches("total +98 +98 +164 +392"), lines.get(8));
        assertEquals(lines.get(5).length(), lines.get(8).length(), "numbers are right-aligned in their columns");
        assertTrue(table.contains("multiply-adds per sample (full forward): " + model.multiplyAddsPerSample()), table);
    }

    @Test
    void groupsThousands() {
        ARNN model = ARNNDense.builder(HilbertSpace.spin(0.5, 20)).layers(2).features(16).build(1);
        String table = model.summary(1).toString();
        // Layer 0: 16 * (0+...+19) = 3,040 weights + 320 bias = 3,360.
        assertTrue(table.contains(" 3,360 "), table);
    }

    @Test
    void rejectsABatchBelowOne() {
        ARNN model = ARNNDense.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3).build(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.summary(0));
        assertEquals("batch: expected >= 1 but got 0", e.getMessage());
    }
}
