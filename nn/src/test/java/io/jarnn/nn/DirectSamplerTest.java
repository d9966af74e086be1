package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.SplitMix64;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class DirectSamplerTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("dense spin-1/2 N=6", Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 6)).layers(2).features(5), 11)),
                Arguments.of("conv d=2 spin-1/2 N=6", Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 6)).layers(3).features(4)
                        .kernelSize(3).dilation(2), 12)),
                Arguments.of("conv2d 2x2 spin-1/2 (3, 2)", Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 4)).layers(3)
                        .features(4).kernelSize(3, 2), 15)),
                Arguments.of("conv2d 2x2 spin-1/2 (2, 3) d=(1, 2) p=1", Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 4))
                        .layers(2).features(3).kernelSize(2, 3).dilation(1, 2).machinePow(1f), 16)),
                Arguments.of("conv spin-1 N=3 p=1", Build.model(ARNNConv1D.builder(HilbertSpace.spin(1, 3)).layers(2).features(3)
                        .kernelSize(2).machinePow(1f), 13)),
                Arguments.of("dense fock(3) N=3 p=0.7", Build.model(ARNNDense.builder(HilbertSpace.fock(3, 3)).layers(3).features(7)
                        .machinePow(0.7f), 14)));
    }

    /**
     * Pearson chi-square of 200k samples against the exact probabilities. With at most 64 cells
     * (63 degrees of freedom) the 0.999 quantile is 103.4; we use a fixed seed, so the test is
     * deterministic, and a broken sampler (e.g. off-by-one draws, one site drawn from the wrong
     * conditional) exceeds it by orders of magnitude.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void empiricalFrequenciesMatchExactProbabilities(String name, ARNN model) {
        HilbertSpace h = model.hilbert();
        Tensor all = Build.allConfigurations(h);
        int cells = all.dim(0);
        assertTrue(cells <= 64, "test space too large: " + cells);
        Tensor logPsi = model.logPsi(all);
        int samplesCount = 200_000;
        Samples samples = DirectSampler.of(model).sample(samplesCount, 2024, false);
        long[] counts = new long[cells];
        int n = h.size();
        for (int r = 0; r < samplesCount; r++) {
            int code = 0;
            for (int i = 0; i < n; i++) {
                code = code * h.localSize() + LocalStates.indexOrNegative(h, samples.configurations().get(r, i));
            }
            counts[code]++;
        }
        double chi2 = 0;
        for (int c = 0; c < cells; c++) {
            double expected = samplesCount * Math.exp(model.machinePow() * logPsi.get(c));
            chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
        }
        double threshold = chiSquareQuantile999(cells - 1);
        assertTrue(chi2 < threshold, name + ": chi2 = " + chi2 + " over " + (cells - 1) + " dof, threshold " + threshold);
    }

    /** Wilson-Hilferty approximation of the 0.999 quantile of chi-square with k dof (z = 3.0902). */
    private static double chiSquareQuantile999(int k) {
        double z = 3.090232;
        double a = 2.0 / (9.0 * k);
        return k * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void logProbabilityEqualsMachinePowTimesLogPsi(String name, ARNN model) {
        Samples samples = DirectSampler.of(model).withChunkSize(7).sample(50, 5, true);
        Tensor logPsi = model.logPsi(samples.configurations());
        for (int r = 0; r < 50; r++) {
            double expected = model.machinePow() * logPsi.get(r);
            assertEquals(expected, samples.logProbabilities().get(r), 1e-4, name + " sample " + r); //f64: assertEquals(expected, samples.logProbabilities().get(r), 1e-11, name + " sample " + r);
        }
    }

    @Test
    void samplesHoldOnlyLocalValuesForEverySpaceKind() {
        HilbertSpace[] spaces = {HilbertSpace.spin(1.5, 9), HilbertSpace.fock(4, 9), HilbertSpace.ofLocalValues(9, -3.5f, 0f, 7f)}; //f64: HilbertSpace[] spaces = {HilbertSpace.spin(1.5, 9), HilbertSpace.fock(4, 9), HilbertSpace.ofLocalValues(9, -3.5f, 0f, 7f)};
        for (HilbertSpace h : spaces) {
            ARNN model = Build.model(ARNNConv1D.builder(h).layers(2).features(6).kernelSize(4), 3);
            Tensor x = DirectSampler.of(model).sample(300, 1, false).configurations();
            LocalStates.requireConfigurations(h, "samples of " + h, x);
        }
    }

    @Test
    void sameSeedSameSamplesForAnyThreadCount() {
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 40)).layers(3).features(8).kernelSize(3), 8);
        Samples one = DirectSampler.of(model).withThreads(1).withChunkSize(16).sample(100, 77, true);
        Samples four = DirectSampler.of(model).withThreads(4).withChunkSize(16).sample(100, 77, true);
        assertTrue(one.configurations().contentEquals(four.configurations()), "configurations differ between 1 and 4 threads");
        assertTrue(one.logProbabilities().contentEquals(four.logProbabilities()), "log-probabilities differ between 1 and 4 threads");
        Samples other = DirectSampler.of(model).withThreads(1).withChunkSize(16).sample(100, 78, true);
        assertTrue(!one.configurations().contentEquals(other.configurations()), "another seed gave the same samples");
    }

    /** Tracking the log-probabilities (or not) leaves the draws alone: the same samples either way. */
    @Test
    void askingForLogProbabilitiesDoesNotChangeTheSamples() {
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(1, 30)).layers(2).features(6).kernelSize(3), 10);
        DirectSampler sampler = DirectSampler.of(model).withChunkSize(16);
        Samples with = sampler.sample(70, 5, true);
        Samples without = sampler.sample(70, 5, false);
        assertTrue(with.configurations().contentEquals(without.configurations()),
                "the samples differ with and without log-probabilities");
    }

    @Test
    void reusedSamplerGivesTheSameSamplesAgain() {
        ARNN model = Build.model(ARNNDense.builder(HilbertSpace.spin(1, 12)).layers(2).features(8), 9);
        DirectSampler sampler = DirectSampler.of(model).withChunkSize(10);
        Tensor first = Tensor.zeros(25, 12);
        Tensor second = Tensor.zeros(25, 12);
        sampler.sample(3, first, null);
        sampler.sample(3, second, null);
        assertTrue(first.contentEquals(second));
    }

    @Test
    void piecesOfWholeChunksGiveTheSamplesOfOneCall() {
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(1, 9)).layers(2).features(5).kernelSize(2), 21);
        DirectSampler sampler = DirectSampler.of(model).withChunkSize(8);
        Samples whole = sampler.sample(45, 31, true);
        Tensor configurations = Tensor.zeros(45, 9);
        Tensor logProbabilities = Tensor.zeros(45);
        sampler.sample(31, 0, configurations.slice(0, 16), logProbabilities.slice(0, 16));
        sampler.sample(31, 16, configurations.slice(16, 24), logProbabilities.slice(16, 24));
        sampler.sample(31, 24, configurations.slice(24, 45), logProbabilities.slice(24, 45));
        assertTrue(whole.configurations().contentEquals(configurations), "configurations differ from one call");
        assertTrue(whole.logProbabilities().contentEquals(logProbabilities), "log-probabilities differ from one call");
        expectMessage(() -> sampler.sample(31, 4, Tensor.zeros(8, 9), null), "firstRow");
        expectMessage(() -> sampler.sample(31, -8, Tensor.zeros(8, 9), null), "firstRow");
    }

    /** Naive and cached paths consume the same random stream; they may differ only where rounding flips a draw. */
    @Test
    void naivePathDrawsTheSameSamplesAsTheCachedPath() {
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 24)).layers(3).features(8).kernelSize(3).dilation(2), 4);
        Samples cached = DirectSampler.of(model).sample(64, 99, true);
        Samples naive = DirectSampler.of(model).withPath(DirectSampler.Path.NAIVE).sample(64, 99, true);
        int differing = 0;
        for (int r = 0; r < 64; r++) {
            boolean same = true;
            for (int i = 0; i < 24; i++) {
                same &= cached.configurations().get(r, i) == naive.configurations().get(r, i);
            }
            if (!same) {
                differing++;
            } else {
                assertEquals(cached.logProbabilities().get(r), naive.logProbabilities().get(r), 1e-4, "sample " + r); //f64: assertEquals(cached.logProbabilities().get(r), naive.logProbabilities().get(r), 1e-11, "sample " + r);
            }
        }
        assertTrue(differing <= 1, differing + " of 64 samples differ between the naive and cached paths");
    }

    @Test
    void drawNeverSelectsPastTheLastStateAndSkipsZeroProbabilities() {
        float[] p = {0.25f, 0f, 0.75f, 0f};
        assertEquals(0, DirectSampler.draw(p, 0, 1, 4, 0.0));
        float[] leadingZeros = {0f, 0f, 1f};
        assertEquals(2, DirectSampler.draw(leadingZeros, 0, 1, 3, 0.0), "u = 0 must not pick a state of probability 0");
        assertEquals(0, DirectSampler.draw(p, 0, 1, 4, 0.2499));
        assertEquals(2, DirectSampler.draw(p, 0, 1, 4, 0.2501));
        assertEquals(2, DirectSampler.draw(p, 0, 1, 4, Math.nextDown(1.0)));
        float[] unnormalised = {0.3f, 0.3f, 0.3f};
        assertEquals(2, DirectSampler.draw(unnormalised, 0, 1, 3, Math.nextDown(1.0)));
        float[] offset = {9f, 9f, 0f, 1f};
        assertEquals(1, DirectSampler.draw(offset, 2, 1, 2, 0.5));
    }

    /**
     * The sampler runs SplittableRandom's stream in a local long ({@link SplitMix64#unit},
     * {@link DirectSampler#nextState}): its draws must be the object's nextDouble(), bit for
     * bit, from the seed of every chunk's stream, so that the samples stay those of the
     * SplittableRandom the sampler used to hold.
     */
    @Test
    void theLocalStreamDrawsSplittableRandomsDoubles() {
        int checked = 0;
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE, Long.MAX_VALUE, 0x9E3779B97F4A7C15L}) {
            for (long chunk : new long[] {0, 1, 2, 1000}) {
                long state = DirectSampler.streamFor(seed, chunk);
                SplittableRandom reference = new SplittableRandom(state);
                for (int i = 0; i < 5000; i++) {
                    state = DirectSampler.nextState(state);
                    double expected = reference.nextDouble();
                    double got = SplitMix64.unit(state);
                    if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(got)) {
                        fail("seed " + seed + ", chunk " + chunk + ", draw " + i + ": " + got + " but SplittableRandom "
                                + expected);
                    }
                    checked++;
                }
            }
        }
        assertEquals(7 * 4 * 5000, checked);
    }

    /**
     * The two-state draw the sampler takes for spin 1/2 chooses as the general one for every
     * pair, including zeros, NaN, infinities, extreme magnitudes and u on either side of the
     * threshold p0 / (p0 + p1).
     */
    @Test
    void drawOfTwoChoosesAsDraw() {
        float[] special = {0f, -0f, Float.MIN_VALUE, 1e-30f, 0.5f, 1f, 3f, 1e30f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NaN};
        SplittableRandom random = new SplittableRandom(5);
        float[] p = new float[6];
        int checked = 0;
        for (int trial = 0; trial < 20000; trial++) {
            float first = trial < special.length * special.length ? special[trial % special.length]
                    : (float) random.nextDouble();
            float second = trial < special.length * special.length ? special[trial / special.length]
                    : (float) random.nextDouble();
            // Row 1 of a feature-major block of three rows: p0 at 1, p1 at 1 + 3.
            p[1] = first;
            p[4] = second;
            double total = (double) first + second;
            double[] us = {0.0, Math.nextDown(1.0), random.nextDouble(), first / total,
                    Math.nextUp(first / total), Math.nextDown(first / total)};
            for (double u : us) {
                if (!(u >= 0 && u < 1)) {
                    continue;
                }
                assertEquals(DirectSampler.draw(p, 1, 3, 2, u), DirectSampler.drawOfTwo(p, 1, 3, u),
                        "p = (" + first + ", " + second + "), u = " + u);
                checked++;
            }
        }
        assertTrue(checked > 100000, checked + " draws checked");
    }

    @Test
    void badArgumentsAreRejectedWithTheirNames() {
        ARNN model = Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 4)).layers(1), 1);
        DirectSampler sampler = DirectSampler.of(model);
        expectMessage(() -> sampler.sample(0, 1, false), "n");
        expectMessage(() -> sampler.withChunkSize(0), "chunkSize");
        expectMessage(() -> sampler.withThreads(0), "threads");
        expectMessage(() -> sampler.sample(1, Tensor.zeros(3, 5), null), "configurations");
        expectMessage(() -> sampler.sample(1, Tensor.zeros(3, 4), Tensor.zeros(2)), "logProbabilities");
        expectMessage(() -> DirectSampler.of(null), "model");
    }

    private static void expectMessage(Runnable r, String argument) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        if (!e.getMessage().startsWith(argument)) {
            fail("message should name '" + argument + "': " + e.getMessage());
        }
    }
}
