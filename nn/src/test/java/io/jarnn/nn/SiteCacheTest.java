package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-site (cached) evaluation: {@code conditional(cache, sigma, i)} for i = 0..N-1 in order
 * equals the full {@code conditionals(sigma)[:, i, :]}; a reset cache starts over; the order is
 * enforced and sigma's previous site must hold a local value.
 */
class SiteCacheTest {
    private static final double TOLERANCE = 1e-5; //f64: private static final double TOLERANCE = 1e-13;

    static List<ARNN> models() {
        HilbertSpace spins = HilbertSpace.spin(0.5, 11);
        HilbertSpace spinOne = HilbertSpace.spin(1, 9);
        List<ARNN> list = new ArrayList<>();
        long seed = 40;
        for (int dilation = 1; dilation <= 3; dilation++) {
            for (int kernelSize = 2; kernelSize <= 4; kernelSize++) {
                list.add(Build.model(ARNNConv1D.builder(dilation == 2 ? spinOne : spins).layers(kernelSize == 3 ? 2 : 3)
                        .features(3 + 2 * kernelSize).kernelSize(kernelSize).dilation(dilation), seed++));
            }
        }
        list.add(Build.model(ARNNConv1D.builder(spins).layers(1).kernelSize(3).dilation(2), seed++));
        // Chains long enough for the per-site line to start over several times (runs of 8
        // pushes per residue class), also in two classes, and kernels of 8 and 9 taps (runs of K).
        HilbertSpace chain = HilbertSpace.spin(0.5, 41);
        list.add(Build.model(ARNNConv1D.builder(chain).layers(3).features(5).kernelSize(3).dilation(2), seed++));
        list.add(Build.model(ARNNConv1D.builder(chain).layers(2).features(4).kernelSize(8), seed++));
        list.add(Build.model(ARNNConv1D.builder(chain).layers(3).features(3).kernelSize(9).dilation(2), seed++));
        // 2D: kernels wider and taller than the image, dilations, a one-layer model (kernel rows only).
        HilbertSpace square = HilbertSpace.spin(0.5, 25);
        list.add(Build.model(ARNNConv2D.builder(square).layers(3).features(7).kernelSize(3, 2), seed++));
        list.add(Build.model(ARNNConv2D.builder(square).layers(2).features(5).kernelSize(3, 3).dilation(2, 2), seed++));
        list.add(Build.model(ARNNConv2D.builder(square).layers(3).features(4).kernelSize(2, 5).dilation(1, 3), seed++));
        list.add(Build.model(ARNNConv2D.builder(HilbertSpace.spin(1, 9)).layers(2).features(9).kernelSize(5, 4), seed++));
        list.add(Build.model(ARNNConv2D.builder(square).layers(1).kernelSize(2, 1).machinePow(0.7f), seed++));
        list.add(Build.model(ARNNDense.builder(spins).layers(1), seed++));
        list.add(Build.model(ARNNDense.builder(spins).layers(2).features(5), seed++));
        list.add(Build.model(ARNNDense.builder(spinOne).layers(3).features(17).machinePow(0.7f), seed++));
        list.add(Build.model(ARNNDense.builder(HilbertSpace.fock(2, 6)).layers(3).features(4, 33, 3).bias(false), seed++));
        return list;
    }

    /** Runs every site through {@code cache} and compares with the full forward. */
    private static void assertMatchesFullForward(ARNN model, SiteCache cache, Tensor sigma, String what) {
        Tensor full = model.conditionals(sigma);
        int n = model.hilbert().size();
        int ls = model.hilbert().localSize();
        for (int i = 0; i < n; i++) {
            assertEquals(i, cache.nextIndex(), what + ": next index");
            Tensor site = model.conditional(cache, sigma, i);
            assertTrue(site.hasShape(sigma.dim(0), ls), what + ": shape of site " + i);
            for (int b = 0; b < sigma.dim(0); b++) {
                for (int k = 0; k < ls; k++) {
                    assertEquals(full.get(b, i, k), site.get(b, k), TOLERANCE,
                            what + ": conditional[" + b + ", " + i + ", " + k + "] cached vs full forward");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void cachedConditionalsEqualTheFullForward(ARNN model) {
        for (int batch : new int[]{1, 5}) {
            SiteCache cache = model.newCache(batch);
            Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 7 + batch);
            assertMatchesFullForward(model, cache, sigma, model + ", batch " + batch);

            cache.reset();
            assertMatchesFullForward(model, cache, sigma, model + ", batch " + batch + ", same sigma after reset");
            cache.reset();
            Tensor other = Build.randomConfigurations(model.hilbert(), batch, 1000 + batch);
            assertMatchesFullForward(model, cache, other, model + ", batch " + batch + ", new sigma after reset");
        }
    }

    /**
     * A dilation far beyond N (the 10^6 on N = 10) is NetKet-valid: only the current
     * site's tap is inside the chain. The cache keeps one ring per residue class of the sites
     * that exist, not per class of the dilation, so sampling 1000 samples needs kilobytes
     * (before: 10^6 rings of 1000 x 16 floats, far beyond any heap).
     */
    @Test
    void aDilationFarBeyondTheSiteCountCostsOnlyTheSitesThatExist() {
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 10)).layers(3).features(16).dilation(1_000_000), 3);
        assertMatchesFullForward(model, model.newCache(1000), Build.randomConfigurations(model.hilbert(), 1000, 4),
                "dilation 10^6 on N = 10, batch 1000");
        Samples s = DirectSampler.of(model).sample(1000, 1, true);
        assertEquals(1000, s.configurations().dim(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void outputOverloadWritesTheSameValuesIntoAView(ARNN model) {
        int batch = 3;
        int ls = model.hilbert().localSize();
        Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 5);
        SiteCache a = model.newCache(batch);
        SiteCache b = model.newCache(batch);
        Tensor backing = Tensor.zeros(2, batch, ls);
        Tensor out = backing.row(1); // a view at a non-zero offset
        for (int i = 0; i < model.hilbert().size(); i++) {
            Tensor expected = model.conditional(a, sigma, i);
            model.conditional(b, sigma, i, out);
            assertTrue(expected.contentEquals(out), model + ": site " + i + " into a caller-provided view");
        }
        assertTrue(backing.row(0).contentEquals(Tensor.zeros(batch, ls)), "the view's neighbours stay untouched");
    }

    @Test
    void sitesMustComeInOrderAndTheMessageNamesTheExpectedOne() {
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3), 1);
        Tensor sigma = Build.randomConfigurations(model.hilbert(), 2, 1);
        SiteCache cache = model.newCache(2);
        IllegalStateException skipped = assertThrows(IllegalStateException.class, () -> model.conditional(cache, sigma, 1));
        assertTrue(skipped.getMessage().contains("expected site 0"), skipped.getMessage());
        model.conditional(cache, sigma, 0);
        IllegalStateException repeated = assertThrows(IllegalStateException.class, () -> model.conditional(cache, sigma, 0));
        assertTrue(repeated.getMessage().contains("expected site 1") && repeated.getMessage().contains("got 0"),
                repeated.getMessage());
        IllegalStateException negative = assertThrows(IllegalStateException.class, () -> model.conditional(cache, sigma, -1));
        assertTrue(negative.getMessage().contains("expected site 1"), negative.getMessage());
        assertEquals(1, cache.nextIndex(), "rejected calls must not advance the cache");
    }

    @Test
    void afterTheLastSiteEveryIndexIsRejectedUntilReset() {
        for (ARNN model : List.of(
                Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 3)).layers(2).features(3), 2),
                Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 3)).layers(2).features(3), 2))) {
            Tensor sigma = Build.randomConfigurations(model.hilbert(), 2, 3);
            SiteCache cache = model.newCache(2);
            for (int i = 0; i < 3; i++) {
                model.conditional(cache, sigma, i);
            }
            for (int index : new int[]{0, 2, 3}) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> model.conditional(cache, sigma, index),
                        model + ": site " + index + " requested after all 3 sites were done");
                assertTrue(e.getMessage().contains("reset()"), e.getMessage());
            }
            cache.reset();
            assertEquals(0, cache.nextIndex(), "reset starts again at site 0");
            model.conditional(cache, sigma, 0);
        }
    }

    @Test
    void previousSiteMustHoldALocalValue() {
        ARNN model = Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3), 3);
        Tensor sigma = Tensor.copyOf(new float[]{1, -1, 1, 1, 1, 1, -1, -1}, 2, 4);
        SiteCache cache = model.newCache(2);
        model.conditional(cache, sigma, 0);
        sigma.set(0.5f, 1, 0); // site 0 of sample 1, read by the call for site 1
        Rejections.assertRejected(() -> model.conditional(cache, sigma, 1), "sigma", "[1, 0]", "0.5");
        sigma.set(Float.NaN, 1, 0);
        Rejections.assertRejected(() -> model.conditional(cache, sigma, 1), "sigma", "[1, 0]", "NaN");
        assertEquals(1, cache.nextIndex(), "a rejected call must not advance the cache");
        sigma.set(-1f, 1, 0);
        model.conditional(cache, sigma, 1);
    }

    @Test
    void wrongShapesAndForeignCachesAreRejected() {
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3), 4);
        ARNN other = Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 4)).layers(2).features(3), 5);
        SiteCache cache = model.newCache(2);
        Rejections.assertRejected(() -> model.conditional(cache, Tensor.zeros(3, 4), 0), "sigma", "(2, 4)", "(3, 4)");
        Rejections.assertRejected(() -> model.conditional(cache, null, 0), "sigma", "null");
        Rejections.assertRejected(() -> model.conditional(cache, Tensor.zeros(2, 4), 0, Tensor.zeros(2, 3)),
                "out", "(2, 2)", "(2, 3)");
        Rejections.assertRejected(() -> other.conditional(cache, Tensor.zeros(2, 4), 0), "cache", "another model");
        Rejections.assertRejected(() -> model.newCache(0), "batch", "0");
        // The same layers with other kernels may share a cache.
        model.withKernels(ScalarKernels.INSTANCE)
                .conditional(cache, Build.randomConfigurations(model.hilbert(), 2, 1), 0);
    }

    /**
     * The per-site loop allocates nothing: after warm-up, a whole pass of the sampler's
     * {@code conditionalInto(cache, sigma, off, i)}, and of the public
     * {@code conditional(cache, sigma, i, out)} with its argument checks, over the sites of a 2D
     * and a 1D model (scalar kernels: interpreted Vector API code allocates its vectors until C2
     * compiles it). Of five measured passes one may see a transient of the JVM's own; a real
     * per-site allocation shows in every one.
     */
    @Test
    void thePerSiteLoopAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (ARNN m : List.of(
                Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 36)).layers(3).features(8).kernelSize(3, 3)
                        .dilation(1, 2), 3),
                Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 20)).layers(3).features(8).kernelSize(3), 4))) {
            ARNN model = m.withKernels(ScalarKernels.INSTANCE);
            int batch = 16;
            int n = model.hilbert().size();
            Tensor sigma = Build.randomConfigurations(model.hilbert(), batch, 5);
            SiteCache cache = model.newCache(batch);
            Tensor out = Tensor.zeros(batch, model.hilbert().localSize());
            for (boolean publicCall : new boolean[] {false, true}) {
                long[] allocated = new long[5];
                for (int pass = -20; pass < allocated.length; pass++) {
                    cache.reset();
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < n; i++) {
                        if (publicCall) {
                            model.conditional(cache, sigma, i, out);
                        } else {
                            model.conditionalInto(cache, sigma.array(), sigma.offset(), i);
                        }
                    }
                    if (pass >= 0) {
                        allocated[pass] = threads.getCurrentThreadAllocatedBytes() - before;
                    }
                }
                long zero = java.util.Arrays.stream(allocated).filter(a -> a == 0).count();
                assertTrue(zero >= allocated.length - 1, model + (publicCall ? " conditional(cache, sigma, i, out)"
                        : " conditionalInto") + ": bytes allocated by each of five per-site passes: "
                        + java.util.Arrays.toString(allocated));
            }
        }
    }
}
