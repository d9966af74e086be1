package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every parameter's gradient against central finite differences, in double on the float64
 * twins (so that the differences themselves are accurate): dense, conv1d and conv2d, dilation 1..3,
 * kernel size 2..4, spin-1/2, spin-1 and Fock, machinePow 1, 2 and 0.5, bias on and off, and
 * constrained sectors. Parameters are the initialisation plus noise, so biases are non-zero too.
 *
 * <p>Checked, for {@code f(theta) = sum_b c_b logPsi(sigma_b)}: the flat gradient
 * ({@code logPsiGradient}), and for {@code f = sum c[b,i,k] logPsi[b,i,k]} over the finite entries
 * the parameter part of {@code conditionalsLogPsiVjp}. With step h = 1e-5 the central difference
 * is within about h^2 |f'''| + eps |f| / h, some 1e-10 here; the tolerance is
 * {@value #TOLERANCE} (|fd - g| <= TOLERANCE (1 + |g|)). The worst error of the run is printed.
 */
class GradientFiniteDifferenceTest {
    static final double TOLERANCE = 1e-7;
    private static final double H = 1e-5;
    private static double worst;
    private static String worstWhere = "";

    record Case(String name, ARNNConfig.Builder<?> builder) {
        ARNN64 model() {
            ARNN64 m = builder.dtype(DType.FLOAT64).build64(11);
            double[] theta = m.flatParameters();
            SplittableRandom random = new SplittableRandom(name.hashCode());
            for (int e = 0; e < theta.length; e++) {
                theta[e] += 0.3 * (random.nextDouble() - 0.5);
            }
            return m.withParameters(theta);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        HilbertSpace half = HilbertSpace.spin(0.5, 6);
        HilbertSpace one = HilbertSpace.spin(1, 5);
        HilbertSpace fock = HilbertSpace.fock(2, 5);
        HilbertSpace sector = HilbertSpace.spin(0.5, 6, 0);
        HilbertSpace fockSector = HilbertSpace.fock(2, 5, 4);
        return List.of(
                new Case("dense spin-1/2 3 layers p=2 bias", ARNNDense.builder(half).layers(3).features(3).machinePow(2f)),
                new Case("dense spin-1 p=1 no bias", ARNNDense.builder(one).layers(2).features(3).bias(false).machinePow(1f)),
                new Case("dense Fock p=0.5", ARNNDense.builder(fock).layers(2).features(2).machinePow(0.5f)),
                new Case("conv spin-1/2 K=2 d=1 p=2", ARNNConv1D.builder(half).layers(3).features(3).kernelSize(2).dilation(1)),
                new Case("conv spin-1/2 K=3 d=2 p=1 no bias",
                        ARNNConv1D.builder(half).layers(2).features(3).kernelSize(3).dilation(2).bias(false).machinePow(1f)),
                new Case("conv spin-1 K=4 d=3 p=0.5",
                        ARNNConv1D.builder(one).layers(3).features(2).kernelSize(4).dilation(3).machinePow(0.5f)),
                new Case("conv Fock K=3 d=1 p=2", ARNNConv1D.builder(fock).layers(2).features(3).kernelSize(3)),
                new Case("dense spin-1/2 Sz=0 p=2", ARNNDense.builder(sector).layers(2).features(3)),
                new Case("conv spin-1/2 Sz=0 K=3 d=2 p=1",
                        ARNNConv1D.builder(sector).layers(3).features(3).kernelSize(3).dilation(2).machinePow(1f)),
                new Case("conv Fock n=4 K=2 d=1 p=0.5",
                        ARNNConv1D.builder(fockSector).layers(2).features(2).kernelSize(2).machinePow(0.5f)),
                new Case("conv2d 3x3 spin-1/2 (3, 2) p=2",
                        ARNNConv2D.builder(HilbertSpace.spin(0.5, 9)).layers(3).features(3).kernelSize(3, 2)),
                new Case("conv2d 3x3 spin-1 (2, 3) d=(1, 2) p=1 no bias", ARNNConv2D.builder(HilbertSpace.spin(1, 9))
                        .layers(2).features(3).kernelSize(2, 3).dilation(1, 2).bias(false).machinePow(1f)),
                new Case("conv2d 2x2 Fock n=3 (2, 2) d=(2, 1) p=0.5", ARNNConv2D.builder(HilbertSpace.fock(2, 4, 3))
                        .layers(2).features(2).kernelSize(2, 2).dilation(2, 1).machinePow(0.5f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logPsiGradientMatchesCentralDifferences(Case c) {
        ARNN64 model = c.model().withThreads(2);
        int batch = 7;
        Tensor64 sigma = model.hilbert().randomConfigurations(batch, 3).toDoublePrecision();
        double[] weights = new double[batch];
        SplittableRandom random = new SplittableRandom(5);
        for (int b = 0; b < batch; b++) {
            weights[b] = random.nextDouble() * 2 - 1;
        }
        Tensor64 w = Tensor64.wrap(weights, batch);
        double[] grad = new double[model.parameterCount()];
        model.logPsiGradient(sigma, w, grad, 0, model.newGradientWorkspace());
        double[] theta = model.flatParameters();
        for (int e = 0; e < theta.length; e++) {
            double keep = theta[e];
            theta[e] = keep + H;
            double plus = weightedLogPsi(model.withParameters(theta), sigma, weights);
            theta[e] = keep - H;
            double minus = weightedLogPsi(model.withParameters(theta), sigma, weights);
            theta[e] = keep;
            check(c + ", logPsi gradient", model, e, (plus - minus) / (2 * H), grad[e]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conditionalsVjpMatchesCentralDifferences(Case c) {
        ARNN64 model = c.model().withThreads(1);
        int batch = 3;
        int n = model.hilbert().size();
        int ls = model.hilbert().localSize();
        Tensor64 sigma = model.hilbert().randomConfigurations(batch, 4).toDoublePrecision();
        double[] cot = new double[batch * n * ls];
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < cot.length; i++) {
            cot[i] = random.nextDouble() * 2 - 1;
        }
        Tensor64 cotangent = Tensor64.wrap(cot, batch, n, ls);
        double[] grad = model.conditionalsLogPsiVjp(sigma, cotangent).parameters();
        double[] theta = model.flatParameters();
        for (int e = 0; e < theta.length; e++) {
            double keep = theta[e];
            theta[e] = keep + H;
            double plus = contracted(model.withParameters(theta), sigma, cot);
            theta[e] = keep - H;
            double minus = contracted(model.withParameters(theta), sigma, cot);
            theta[e] = keep;
            check(c + ", conditionals VJP", model, e, (plus - minus) / (2 * H), grad[e]);
        }
    }

    private static double weightedLogPsi(ARNN64 model, Tensor64 sigma, double[] weights) {
        Tensor64 logPsi = model.logPsi(sigma);
        double f = 0;
        for (int b = 0; b < weights.length; b++) {
            f += weights[b] * logPsi.getFlat(b);
        }
        return f;
    }

    /** sum c * logPsi over the finite (allowed) entries. */
    private static double contracted(ARNN64 model, Tensor64 sigma, double[] cot) {
        Tensor64 clp = model.conditionalsLogPsi(sigma);
        double f = 0;
        for (int i = 0; i < cot.length; i++) {
            double v = clp.getFlat(i);
            if (Double.isFinite(v)) {
                f += cot[i] * v;
            }
        }
        return f;
    }

    private static synchronized void check(String what, ARNN64 model, int e, double fd, double g) {
        double err = Math.abs(fd - g) / (1 + Math.abs(g));
        if (err > worst) {
            worst = err;
            worstWhere = what + ", flat parameter " + e;
        }
        if (!(err <= TOLERANCE)) {
            String key = model.parameterLayout().keys().get(0);
            for (String k : model.parameterLayout().keys()) {
                if (e >= model.parameterLayout().offset(k)) {
                    key = k;
                }
            }
            fail(String.format(Locale.ROOT, "%s: flat parameter %d (%s): finite difference %.12g but gradient %.12g "
                    + "(relative error %.3g > %.1g)", what, e, key, fd, g, err, TOLERANCE));
        }
    }

    @AfterAll
    static void printWorst() {
        System.out.printf(Locale.ROOT, "GradientFiniteDifferenceTest: worst |fd - g| / (1 + |g|) = %.3g (%s)%n", worst,
                worstWhere);
    }
}
