package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.Samples;
import io.jarnn.nn.SiteCache;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Issue 4, property 6: the per-site path {@code conditional(cache, sigma, i)}, i = 0..N-1,
 * equals the full forward's {@code conditionals(sigma)[:, i, :]}; and the direct sampler, which
 * runs on that path, returns valid configurations whose log-probabilities are
 * {@code machinePow * logPsi} of the full forward.
 */
class CachedPathProperties {
    /**
     * Absolute, on probabilities: the cached path normalises the raw logits directly, the full
     * path computes exp(machinePow * logPsi), so they agree to rounding, not bitwise: 1e-5 in
     * single precision, 1e-12 in double (logits up to +-800 there; see
     * {@link NormalisationProperties#ROW_SUM_TOLERANCE}).
     */
    static final double TOLERANCE = 1e-5; //f64: static final double TOLERANCE = 1e-12;

    /**
     * Two passes over one cache: the first with sigma complete from the start, the second after
     * {@link SiteCache#reset()} the way a sampler uses it, writing column i-1 just before asking
     * for site i while the columns not written yet still hold a stale configuration.
     */
    @Test
    void cachedConditionalsEqualTheFullForward() {
        SuiteRunMode.qt(1000).forAll(ArbitraryModels.models(), integers().between(1, 6), longs().all(), longs().all())
                .checkAssert(CachedPathProperties::cachedConditionalsEqualTheFullForward);
    }

    private static void cachedConditionalsEqualTheFullForward(ModelSpec spec, int batch, long firstSeed,
                                                              long secondSeed) {
        ARNN m = Build.model(spec);
        HilbertSpace h = m.hilbert();
        int n = h.size();
        Tensor sigma = Build.randomConfigurations(h, batch, firstSeed);
        Tensor full = m.conditionals(sigma);
        SiteCache cache = m.newCache(batch);
        for (int i = 0; i < n; i++) {
            requireClose("first pass", m.conditional(cache, sigma, i), full, sigma, i);
        }

        cache.reset();
        Tensor target = Build.randomConfigurations(h, batch, secondSeed);
        Tensor fullTarget = m.conditionals(target);
        Tensor progressive = sigma.copy();
        Tensor out = Tensor.zeros(batch, h.localSize());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                for (int b = 0; b < batch; b++) {
                    progressive.set(target.get(b, i - 1), b, i - 1);
                }
            }
            m.conditional(cache, progressive, i, out);
            requireClose("second pass after reset, filled column by column", out, fullTarget, target, i);
        }
    }

    /**
     * Absolute, on log p: the sampler sums N logs of probabilities in double; logPsi sums N
     * log-conditionals. 1e-4 over at most 16 sites in single precision, 1e-9 in double (a chosen
     * state's log-probability can be -1000 or so under the HUGE weights, so each of the 16 terms
     * may be off by some 1e-13 times that), also for the adversarial weights (probabilities of a
     * chosen state can be tiny but are never 0: a state of probability 0 is never drawn).
     */
    static final double LOG_PROBABILITY_TOLERANCE = 1e-4; //f64: static final double LOG_PROBABILITY_TOLERANCE = 1e-9;

    @Test
    void samplerLogProbabilitiesAreMachinePowTimesLogPsi() {
        SuiteRunMode.qt(300).forAll(ArbitraryModels.models(), integers().between(1, 9), integers().between(1, 4),
                longs().all()).checkAssert(CachedPathProperties::samplerLogProbabilitiesAreMachinePowTimesLogPsi);
    }

    private static void samplerLogProbabilitiesAreMachinePowTimesLogPsi(ModelSpec spec, int samples, int chunkSize,
                                                                        long seed) {
        ARNN m = Build.model(spec);
        Samples drawn = DirectSampler.of(m).withChunkSize(chunkSize).sample(samples, seed, true);
        Build.requireConfigurations(m.hilbert(), "samples", drawn.configurations());
        Tensor logPsi = m.logPsi(drawn.configurations());
        for (int r = 0; r < samples; r++) {
            double expected = m.machinePow() * logPsi.get(r);
            float actual = drawn.logProbabilities().get(r);
            if (!(Math.abs(actual - expected) <= LOG_PROBABILITY_TOLERANCE)) {
                fail("sample " + r + ": log p = " + actual + ", machinePow * logPsi = " + expected + " within "
                        + LOG_PROBABILITY_TOLERANCE + "; " + ConditionalRows.input(drawn.configurations(), r));
            }
        }
    }

    private static void requireClose(String pass, Tensor cached, Tensor full, Tensor sigma, int site) {
        for (int b = 0; b < cached.dim(0); b++) {
            float[] expected = ConditionalRows.conditional(full, b, site);
            for (int k = 0; k < expected.length; k++) {
                float actual = cached.get(b, k);
                if (!(Math.abs(actual - expected[k]) <= TOLERANCE)) {
                    fail(pass + ": cached conditional [" + b + ", " + k + "] of site " + site + " = " + actual
                            + ", expected " + expected[k] + " (full forward row " + ConditionalRows.text(expected)
                            + ") within " + TOLERANCE + "; " + ConditionalRows.input(sigma, b));
                }
            }
        }
    }
}
