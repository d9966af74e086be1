package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN64;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Issue 12: on generated models (dense and conv1d, every local space, N up to 16, up to 4 layers,
 * any kernel size, dilation, machinePow and bias; weights as initialised, zero, tiny, of mixed
 * signs, or with garbage in masked entries — not HUGE ones, whose logPsi overflows), the
 * directional derivative of {@code f(theta) = sum_b c_b logPsi(sigma_b)} along a random
 * direction d, {@code grad f . d} from {@code logPsiGradient}, matches the central difference
 * {@code (f(theta + h d) - f(theta - h d)) / 2h}, in double on the float64 twin (the float32
 * model widened exactly, every parameter then shifted by up to 0.025 so that no pre-activation
 * sits exactly on selu's kink at 0, as zero biases would put it), h = 1e-6 with |d| of order 1 per
 * entry. selu' jumps at 0, so a pre-activation within h |x . d| of 0 spoils the difference (it
 * averages both sides): the check then takes h = 1e-8 instead, where no kink lies within reach
 * unless the pre-activation is 100 times closer still; a wrong gradient fails at both steps.
 * Tolerance {@value #TOLERANCE} relative to {@code 1 + sum |grad_e d_e|}: the difference's own
 * error is about h^2 |f'''| + eps |f| / h, below 1e-7 at either step.
 */
class GradientProperties {
    static final double TOLERANCE = 1e-6;
    /** The step, and the smaller one tried when a selu kink lies within the first step (see the class comment). */
    private static final double H = 1e-6;
    private static final double SMALL_H = 1e-8;

    @Test
    void directionalDerivativeMatchesCentralDifferences() {
        SuiteRunMode.qt(200).forAll(ArbitraryModels.models(WeightStyle.INIT, WeightStyle.ZEROS, WeightStyle.TINY,
                        WeightStyle.MIXED_SIGNS, WeightStyle.MASKED_NAN, WeightStyle.MASKED_GARBAGE),
                integers().between(1, 6), longs().all())
                .checkAssert(GradientProperties::directionalDerivativeMatches);
    }

    private static void directionalDerivativeMatches(ModelSpec spec, int batch, long seed) {
        ARNN64 generated = spec.build().toDoublePrecision().withThreads(2);
        SplittableRandom random = new SplittableRandom(seed);
        // Away from selu's kink: zero biases (and ZEROS weights) put pre-activations at exactly 0,
        // where selu' jumps from scale*alpha to scale and a central difference averages the two.
        double[] shifted = generated.flatParameters();
        for (int e = 0; e < shifted.length; e++) {
            shifted[e] += 0.05 * (random.nextDouble() - 0.5);
        }
        ARNN64 model = generated.withParameters(shifted);
        HilbertSpace h = model.hilbert();
        Tensor64 sigma = h.randomConfigurations(batch, seed).toDoublePrecision();
        double[] c = new double[batch];
        for (int b = 0; b < batch; b++) {
            c[b] = random.nextDouble() * 2 - 1;
        }
        double[] theta = model.flatParameters();
        double[] d = new double[theta.length];
        for (int e = 0; e < d.length; e++) {
            d[e] = random.nextDouble() * 2 - 1;
        }
        double[] grad = new double[theta.length];
        model.logPsiGradient(sigma, Tensor64.wrap(c, batch), grad, 0, model.newGradientWorkspace());
        double analytic = 0;
        double scale = 1;
        for (int e = 0; e < d.length; e++) {
            analytic += grad[e] * d[e];
            scale += Math.abs(grad[e] * d[e]);
        }
        double fd = (f(model, theta, d, H, sigma, c) - f(model, theta, d, -H, sigma, c)) / (2 * H);
        if (!(Math.abs(fd - analytic) <= TOLERANCE * scale)) {
            fd = (f(model, theta, d, SMALL_H, sigma, c) - f(model, theta, d, -SMALL_H, sigma, c)) / (2 * SMALL_H);
        }
        if (!(Math.abs(fd - analytic) <= TOLERANCE * scale)) {
            fail(spec + ", batch " + batch + ", seed " + seed + ": directional derivative " + analytic
                    + " but central difference " + fd + " (|difference| " + Math.abs(fd - analytic) + " > "
                    + TOLERANCE * scale + ")");
        }
    }

    private static double f(ARNN64 model, double[] theta, double[] d, double step, Tensor64 sigma, double[] c) {
        double[] moved = theta.clone();
        for (int e = 0; e < moved.length; e++) {
            moved[e] += step * d[e];
        }
        Tensor64 logPsi = model.withParameters(moved).logPsi(sigma);
        double sum = 0;
        for (int b = 0; b < c.length; b++) {
            sum += c[b] * logPsi.getFlat(b);
        }
        return sum;
    }
}
