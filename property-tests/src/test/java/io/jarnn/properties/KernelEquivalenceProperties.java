package io.jarnn.properties;

import io.jarnn.kernels.KernelCase;
import io.jarnn.kernels.KernelCompleteness;
import io.jarnn.kernels.NormalisationCase;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.ArrayList;
import java.util.List;

import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Issue 4, property 7: every Vector API kernel equals its scalar reference on generated shapes,
 * tails included, and writes nothing outside its output range. The cases are those of the
 * kernels module's test harness, checked by the same code with the same tolerances as the unit
 * tests: accumulateTaps and convolveFromBias bitwise; selu within 3 ulps of the scalar reference and bitwise equal to
 * the scalar twin of its lanes; the normalisations within bounds that grow with the length of
 * their one sum (see {@code NormalisationCase}). Run with {@code -Djarnn.vectorBits=128|256} to
 * exercise the narrower species' tails.
 */
class KernelEquivalenceProperties {
    static final int TRIES = 1000;
    private static final Gen<? extends KernelCase> TAPS = KernelCases.taps();
    private static final Gen<? extends KernelCase> CONVOLVE_FROM_BIAS = KernelCases.convolveFromBias();
    private static final Gen<? extends KernelCase> SELU = KernelCases.selu();
    private static final Gen<? extends KernelCase> LOG_NORMALIZE_ROWS =
            KernelCases.normalisations(NormalisationCase.Kernel.LOG_NORMALIZE_ROWS);
    private static final Gen<? extends KernelCase> PROBABILITY_COLUMNS =
            KernelCases.normalisations(NormalisationCase.Kernel.PROBABILITY_COLUMNS);
    private static final Gen<? extends KernelCase> LOG_NORMALIZE_COLUMNS =
            KernelCases.normalisations(NormalisationCase.Kernel.LOG_NORMALIZE_COLUMNS);

    @Test
    void accumulateTapsIsBitwiseEqualToTheScalarReference() {
        SuiteRunMode.qt(TRIES).forAll(TAPS, longs().all()).checkAssert(KernelCase::assertEquivalent);
    }

    /** The planar forward's convolution rows from their bias: bitwise, like accumulateTaps. */
    @Test
    void convolveFromBiasIsBitwiseEqualToTheScalarReference() {
        SuiteRunMode.qt(TRIES).forAll(CONVOLVE_FROM_BIAS, longs().all()).checkAssert(KernelCase::assertEquivalent);
    }

    @Test
    void seluEqualsTheScalarReferenceWithinThreeUlps() {
        SuiteRunMode.qt(TRIES).forAll(SELU, longs().all()).checkAssert(KernelCase::assertEquivalent);
    }

    @Test
    void logNormalizeRowsEqualsTheScalarReference() {
        SuiteRunMode.qt(TRIES).forAll(LOG_NORMALIZE_ROWS, longs().all()).checkAssert(KernelCase::assertEquivalent);
    }

    /** The transposed layout the per-site path (and so the sampler) uses: local states by samples. */
    @Test
    void probabilityColumnsEqualsTheScalarReference() {
        SuiteRunMode.qt(TRIES).forAll(PROBABILITY_COLUMNS, longs().all()).checkAssert(KernelCase::assertEquivalent);
    }

    /** The planar layout of a convolutional model's full forward: local states by positions. */
    @Test
    void logNormalizeColumnsEqualsTheScalarReference() {
        SuiteRunMode.qt(TRIES).forAll(LOG_NORMALIZE_COLUMNS, longs().all()).checkAssert(KernelCase::assertEquivalent);
    }

    /**
     * The kernels module's completeness check over this class's generators: every kernel of
     * {@code Kernels} has a generator here whose cases really call it.
     */
    @Test
    void everyKernelHasAnEquivalenceProperty() {
        List<KernelCase> samples = new ArrayList<>();
        for (Gen<? extends KernelCase> gen : List.of(TAPS, CONVOLVE_FROM_BIAS, SELU, LOG_NORMALIZE_ROWS,
                PROBABILITY_COLUMNS, LOG_NORMALIZE_COLUMNS)) {
            SuiteRunMode.qt(1).forAll(gen).checkAssert(samples::add);
        }
        KernelCompleteness.assertEveryKernelHasACase("KernelEquivalenceProperties", samples.stream());
    }
}
