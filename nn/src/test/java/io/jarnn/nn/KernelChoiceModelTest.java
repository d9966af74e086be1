package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.kernels.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same model computed with the scalar and the vector kernels agrees within float rounding. */
class KernelChoiceModelTest {
    private static final double TOLERANCE = 1e-5;

    static List<ARNN> models() {
        HilbertSpace spins = HilbertSpace.spin(0.5, 20);
        return List.of(
                ARNNDense.builder(spins).layers(3).features(24).build(1),
                ARNNDense.builder(HilbertSpace.spin(1.5, 9)).layers(2).features(7).machinePow(0.7f).build(2),
                ARNNConv1D.builder(spins).layers(4).features(33).kernelSize(4).dilation(2).build(3),
                ARNNConv1D.builder(HilbertSpace.fock(4, 13)).layers(3).features(16).kernelSize(3).machinePow(1f).build(4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void scalarAndVectorKernelsAgree(ARNN model) {
        ARNN scalar = model.withKernels(ScalarKernels.INSTANCE);
        ARNN vector = model.withKernels(VectorKernels.INSTANCE);
        assertSame(ScalarKernels.INSTANCE, scalar.kernels());
        Tensor sigma = model.hilbert().randomConfigurations(37, 9);
        Tensor s = scalar.conditionals(sigma);
        Tensor v = vector.conditionals(sigma);
        assertTrue(s.approxEquals(v, TOLERANCE), model + ": conditionals, max |difference| " + s.maxAbsDifference(v));
        Tensor sl = scalar.logPsi(sigma);
        Tensor vl = vector.logPsi(sigma);
        assertTrue(sl.approxEquals(vl, TOLERANCE), model + ": logPsi, max |difference| " + sl.maxAbsDifference(vl));

        SiteCache sc = scalar.newCache(4);
        SiteCache vc = vector.newCache(4);
        Tensor few = sigma.slice(0, 4);
        for (int i = 0; i < model.hilbert().size(); i++) {
            Tensor a = scalar.conditional(sc, few, i);
            Tensor b = vector.conditional(vc, few, i);
            assertTrue(a.approxEquals(b, TOLERANCE), model + ": cached site " + i + ", max |difference| "
                    + a.maxAbsDifference(b));
        }
    }
}
