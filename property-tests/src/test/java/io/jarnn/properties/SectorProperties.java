package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.SiteCache;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * Issue 14: an arbitrary model moved onto a sector of its spin or Fock space (same layers and
 * parameters, a fixed total) gives probabilities that sum to one over the sector, and the
 * per-site cache gives the full forward's conditionals there.
 */
class SectorProperties {
    static final long MAX_ENUMERATED = 4096;
    /**
     * Cached against full conditionals: 1e-5 + 1e-4 |expected| in single precision; in double
     * 1e-12 + 1e-11 |expected|, as {@link CachedPathProperties#TOLERANCE} (the renormalisation over
     * the allowed states adds one division).
     */
    static final double ABSOLUTE = 1e-5; //f64: static final double ABSOLUTE = 1e-12;
    static final double RELATIVE = 1e-4; //f64: static final double RELATIVE = 1e-11;

    @Test
    void sectorProbabilitiesSumToOneAndTheCacheAgrees() {
        SuiteRunMode.qt(300).forAll(ArbitraryModels.modelsWithAtMost(MAX_ENUMERATED), integers().between(0, 1_000_000))
                .checkAssert(SectorProperties::check);
    }

    private static void check(ModelSpec spec, int totalSeed) {
        ARNN free = Build.model(spec);
        HilbertSpace h = free.hilbert();
        if (h.kind().equals("values")) {
            return; // no sector: local values need not be evenly spaced
        }
        int n = h.size();
        int top = h.localSize() - 1;
        int indexTotal = totalSeed % (n * top + 1);
        HilbertSpace sector = h.kind().equals("spin")
                ? HilbertSpace.spin(top / 2.0, n, n * top / 2.0 - indexTotal)
                : HilbertSpace.fock(top, n, indexTotal);
        ARNN m = ARNN.fromParameters(ARNNConfig.of(sector, free.config().layerSpecs(), free.config().machinePow(),
                free.dtype()), free.parameters());
        Tensor all = Build.allConfigurations(sector, MAX_ENUMERATED);
        Tensor logPsi = m.logPsi(all);
        double total = 0;
        for (int r = 0; r < all.dim(0); r++) {
            total += Math.exp(m.machinePow() * (double) logPsi.getFlat(r));
        }
        if (!(Math.abs(total - 1) <= NormalisationProperties.TOTAL_TOLERANCE)) {
            fail("P summed over the " + all.dim(0) + " states of " + sector + " is " + total + ", expected 1 within "
                    + NormalisationProperties.TOTAL_TOLERANCE + "; " + spec);
        }
        int batch = Math.min(all.dim(0), 5);
        Tensor sigma = all.slice(0, batch);
        Tensor full = m.conditionals(sigma);
        SiteCache cache = m.newCache(batch);
        for (int i = 0; i < n; i++) {
            Tensor site = m.conditional(cache, sigma, i);
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k <= top; k++) {
                    float expected = full.get(b, i, k);
                    float actual = site.get(b, k);
                    if (!(Math.abs(expected - actual) <= ABSOLUTE + RELATIVE * Math.abs(expected))) {
                        fail("cached conditional [" + b + ", " + i + ", " + k + "] = " + actual + ", full forward "
                                + expected + ", on " + sector + "; " + spec);
                    }
                }
            }
        }
    }
}
