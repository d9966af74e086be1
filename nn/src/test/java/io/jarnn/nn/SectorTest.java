package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models on constrained spaces (fixed total Sz or particle number): {@link SectorRule} applied
 * alike by the full forward, the per-site cache and the sampler.
 */
class SectorTest {
    /**
     * Sums of probabilities and log-probabilities: 1e-4 / 1e-5 in float32; in float64 1e-12 for
     * one conditional row (a few roundings of O(1) numbers) and 1e-10 for sums over up to 70
     * states or 8 sites, far below anything rounded through float32 (1e-8 and more).
     */
    private static final double TOTAL_TOLERANCE = 1e-4; //f64: private static final double TOTAL_TOLERANCE = 1e-10;
    private static final double ROW_TOLERANCE = 1e-5; //f64: private static final double ROW_TOLERANCE = 1e-12;
    private static final double LOG_PSI_TOLERANCE = 1e-5; //f64: private static final double LOG_PSI_TOLERANCE = 1e-12;
    /** Cached against full conditionals (2e-6 in float32, 1e-12 in float64, as SiteCacheTest). */
    private static final double CACHED_TOLERANCE = 2e-6; //f64: private static final double CACHED_TOLERANCE = 1e-12;
    private static final double LOG_PROBABILITY_TOLERANCE = 1e-4; //f64: private static final double LOG_PROBABILITY_TOLERANCE = 1e-10;
    /** A kernel factor that overflows this precision's activations. */
    private static final float OVERFLOWING = 1e30f; //f64: private static final double OVERFLOWING = 1e200;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("dense spin-1/2 N=8 Sz=0", Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 8, 0))
                        .layers(2).features(6), 11)),
                Arguments.of("conv fock(2) N=5 n=4 p=0.7", Build.model(ARNNConv1D.builder(HilbertSpace.fock(2, 5, 4))
                        .layers(3).features(5).kernelSize(3).machinePow(0.7f), 12)),
                Arguments.of("conv2d 3x3 spin-1/2 Sz=1/2 (3, 2)", Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 9, 0.5))
                        .layers(3).features(4).kernelSize(3, 2), 14)),
                Arguments.of("conv2d 2x2 Fock(3) n=5 (2, 3) p=0.7", Build.model(ARNNConv2D.builder(HilbertSpace.fock(3, 4, 5))
                        .layers(2).features(5).kernelSize(2, 3).machinePow(0.7f), 15)),
                Arguments.of("conv d=2 spin-1 N=5 Sz=1 p=1", Build.model(ARNNConv1D.builder(HilbertSpace.spin(1, 5, 1))
                        .layers(2).features(4).kernelSize(2).dilation(2).machinePow(1f), 13)));
    }

    /** The local-index sum of row r of t. */
    private static int indexSum(HilbertSpace h, Tensor t, int r) {
        int sum = 0;
        for (int i = 0; i < h.size(); i++) {
            sum += Build.localIndex(h, t.get(r, i));
        }
        return sum;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void theSectorsProbabilitiesSumToOne(String name, ARNN model) {
        Tensor all = Build.allConfigurations(model.hilbert());
        Tensor logPsi = model.logPsi(all);
        double total = 0;
        for (int r = 0; r < all.dim(0); r++) {
            assertTrue(Float.isFinite(logPsi.get(r)), name + ": logPsi of sector row " + r + " is " + logPsi.get(r));
            total += Math.exp(model.machinePow() * logPsi.get(r));
        }
        assertEquals(1.0, total, TOTAL_TOLERANCE, name + ": P summed over the " + all.dim(0) + " sector states");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void forbiddenStatesGetZeroAndTheRestRenormalise(String name, ARNN model) {
        HilbertSpace h = model.hilbert();
        Tensor all = Build.allConfigurations(h);
        Tensor logC = model.conditionalsLogPsi(all);
        Tensor c = model.conditionals(all);
        Tensor logPsi = model.logPsi(all);
        int n = h.size();
        int ls = h.localSize();
        int top = ls - 1;
        for (int r = 0; r < all.dim(0); r++) {
            int before = 0;
            double sumChosen = 0;
            for (int i = 0; i < n; i++) {
                double rowSum = 0;
                for (int k = 0; k < ls; k++) {
                    int rest = h.localIndexTotal() - before - k;
                    boolean allowed = rest >= 0 && rest <= (n - i - 1) * top;
                    float lc = logC.get(r, i, k);
                    String where = name + " row " + r + " site " + i + " state " + k;
                    if (allowed) {
                        assertTrue(Float.isFinite(lc), where + ": allowed but logPsi " + lc);
                    } else {
                        assertEquals(Float.NEGATIVE_INFINITY, lc, where + ": forbidden");
                        assertEquals(0f, c.get(r, i, k), where + ": forbidden");
                    }
                    rowSum += c.get(r, i, k);
                }
                assertEquals(1.0, rowSum, ROW_TOLERANCE, name + " row " + r + " site " + i + ": conditionals sum");
                int chosen = Build.localIndex(h, all.get(r, i));
                sumChosen += logC.get(r, i, chosen);
                before += chosen;
            }
            assertEquals(sumChosen, logPsi.get(r), LOG_PSI_TOLERANCE, name + " row " + r + ": logPsi vs chosen log-conditionals");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void cachedConditionalsEqualTheFullForward(String name, ARNN model) {
        HilbertSpace h = model.hilbert();
        Tensor sigma = Build.randomConfigurations(h, 9, 5);
        Tensor full = model.conditionals(sigma);
        SiteCache cache = model.newCache(9);
        for (int pass = 0; pass < 2; pass++) {
            cache.reset();
            for (int i = 0; i < h.size(); i++) {
                Tensor site = model.conditional(cache, sigma, i);
                for (int b = 0; b < 9; b++) {
                    for (int k = 0; k < h.localSize(); k++) {
                        assertEquals(full.get(b, i, k), site.get(b, k), CACHED_TOLERANCE,
                                name + " pass " + pass + " sample " + b + " site " + i + " state " + k);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void conditionalsDependOnlyOnEarlierSites(String name, ARNN model) {
        HilbertSpace h = model.hilbert();
        int n = h.size();
        Tensor base = Build.randomConfigurations(h, 1, 3);
        Tensor reference = model.conditionalsLogPsi(base);
        Tensor others = Tensor.zeros(4, n);
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        for (int e = 0; e < others.size(); e++) {
            others.array()[e] = h.localValue(random.nextInt(h.localSize()));
        }
        for (int i = 0; i < n; i++) {
            // sites i.. replaced by arbitrary local values (the row may leave the sector)
            Tensor changed = Tensor.zeros(others.dim(0), n);
            for (int b = 0; b < others.dim(0); b++) {
                for (int j = 0; j < n; j++) {
                    changed.set(j < i ? base.get(0, j) : others.get(b, j), b, j);
                }
            }
            Tensor logC = model.conditionalsLogPsi(changed);
            for (int b = 0; b < others.dim(0); b++) {
                for (int k = 0; k < h.localSize(); k++) {
                    assertEquals(reference.get(0, i, k), logC.get(b, i, k),
                            name + ": site " + i + " state " + k + " changed with later sites (row " + b + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void configurationsOutsideTheSectorHaveLogPsiMinusInfinity(String name, ARNN model) {
        HilbertSpace h = model.hilbert();
        float[] row = Build.randomConfigurations(h, 1, 4).array().clone();
        // move site 0 one local state along: the index sum changes by one
        int k = Build.localIndex(h, row[0]);
        row[0] = h.localValue(k == 0 ? 1 : k - 1);
        assertEquals(Float.NEGATIVE_INFINITY, model.logPsi(row), name);
        // the last site's own state cannot complete the total: its conditional is 0
        Tensor c = model.conditionals(row);
        assertEquals(0f, c.get(h.size() - 1, Build.localIndex(h, row[h.size() - 1])), name + ": last site's own state");
    }

    @Test
    void aPrefixThatLeftTheSectorAllowsNoState() {
        // spin 1/2, N=4, Sz=0 with sites 0..2 all up: no last value can bring the total to 0
        ARNN model = Build.model(ARNNDense.builder(HilbertSpace.spin(0.5, 4, 0)).layers(2).features(3), 2);
        Tensor logC = model.conditionalsLogPsi(Tensor.copyOf(new float[]{1, 1, 1, -1}, 1, 4));
        assertEquals(Float.NEGATIVE_INFINITY, logC.get(0, 3, 0));
        assertEquals(Float.NEGATIVE_INFINITY, logC.get(0, 3, 1));
        assertEquals(Float.NEGATIVE_INFINITY, model.logPsi(1, 1, 1, -1));
        SiteCache cache = model.newCache(1);
        Tensor sigma = Tensor.copyOf(new float[]{1, 1, 1, -1}, 1, 4);
        Tensor site = null;
        for (int i = 0; i < 4; i++) {
            site = model.conditional(cache, sigma, i);
        }
        assertEquals(0f, site.get(0, 0), "cached path");
        assertEquals(0f, site.get(0, 1), "cached path");
    }

    /**
     * Pearson chi-square of 200k samples, both paths, against the exact probabilities over the
     * sector; every sample must lie in the sector. The fixed seed makes the test deterministic;
     * the 0.999 quantile is the threshold (Wilson-Hilferty).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void samplesStayInTheSectorWithTheExactFrequencies(String name, ARNN model) {
        HilbertSpace h = model.hilbert();
        Tensor all = Build.allConfigurations(h);
        Map<String, Integer> cellOf = new HashMap<>();
        for (int r = 0; r < all.dim(0); r++) {
            cellOf.put(key(all, r), r);
        }
        Tensor logPsi = model.logPsi(all);
        int count = 200_000;
        for (DirectSampler.Path path : DirectSampler.Path.values()) {
            int draws = path == DirectSampler.Path.CACHED ? count : count / 10;
            Samples samples = DirectSampler.of(model).withPath(path).sample(draws, 2024, true);
            Tensor x = samples.configurations();
            long[] counts = new long[all.dim(0)];
            for (int r = 0; r < draws; r++) {
                assertEquals(h.localIndexTotal(), indexSum(h, x, r), name + " " + path + ": sample " + r + " left the sector");
                counts[cellOf.get(key(x, r))]++;
            }
            double chi2 = 0;
            for (int c = 0; c < counts.length; c++) {
                double expected = draws * Math.exp(model.machinePow() * logPsi.get(c));
                chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
            }
            int dof = counts.length - 1;
            double threshold = chiSquareQuantile999(dof);
            System.out.printf("sector chi2 %s %s: %.1f over %d dof (threshold %.1f, %d samples)%n", name, path, chi2,
                    dof, threshold, draws);
            assertTrue(chi2 < threshold, name + " " + path + ": chi2 = " + chi2 + " over " + dof + " dof, threshold "
                    + threshold);
            Tensor modelLogPsi = model.logPsi(x.slice(0, 50));
            for (int r = 0; r < 50; r++) {
                assertEquals(model.machinePow() * modelLogPsi.get(r), samples.logProbabilities().get(r), LOG_PROBABILITY_TOLERANCE,
                        name + " " + path + ": log-probability of sample " + r);
            }
        }
    }

    /** Wilson-Hilferty approximation of the 0.999 quantile of chi-square with k dof. */
    private static double chiSquareQuantile999(int k) {
        double z = 3.090232;
        double a = 2.0 / (9.0 * k);
        return k * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }

    private static String key(Tensor t, int r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.dim(1); i++) {
            b.append(t.get(r, i)).append(',');
        }
        return b.toString();
    }

    @Test
    void samplesDoNotDependOnTheThreadCount() {
        ARNN model = Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 40, 2)).layers(3).features(8).kernelSize(3), 8);
        Samples one = DirectSampler.of(model).withThreads(1).withChunkSize(16).sample(100, 77, true);
        Samples four = DirectSampler.of(model).withThreads(4).withChunkSize(16).sample(100, 77, true);
        assertTrue(one.configurations().contentEquals(four.configurations()), "configurations differ");
        assertTrue(one.logProbabilities().contentEquals(four.logProbabilities()), "log-probabilities differ");
    }

    @Test
    void nonFiniteAllowedEntriesStillThrow() {
        HilbertSpace h = HilbertSpace.spin(0.5, 60, 0);
        ARNN model = Build.model(ARNNConv1D.builder(h).layers(3).features(16).kernelSize(3), 42);
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.parameters().forEach((key, t) -> {
            Tensor c = t.copy();
            if (key.endsWith("kernel")) {
                float[] a = c.array();
                for (int i = 0; i < a.length; i++) {
                    a[i] *= OVERFLOWING;
                }
            }
            params.put(key, c);
        });
        ARNN big = model.withParameters(params);
        Tensor sigma = Build.randomConfigurations(h, 5, 1);
        assertThrows(NonFiniteResultException.class, () -> big.logPsi(sigma));
        assertThrows(NonFiniteResultException.class, () -> big.conditionalsLogPsi(sigma));
        assertThrows(NonFiniteResultException.class, () -> DirectSampler.of(big).sample(64, 7, false));
        SiteCache cache = big.newCache(5);
        assertThrows(NonFiniteResultException.class, () -> {
            for (int i = 0; i < h.size(); i++) {
                big.conditional(cache, sigma, i);
            }
        });
    }
}
