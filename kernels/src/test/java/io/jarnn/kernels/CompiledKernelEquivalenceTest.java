package io.jarnn.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
/**
 * Many small random calls per kernel through the same checks as the shape-by-shape tests. The
 * count exceeds C2's compile threshold without tiered compilation (10 000 invocations), so in
 * the surefire execution with {@code -Xbatch -XX:-TieredCompilation} the later calls compare
 * the code the JIT really produces, with the kernels inlined into a hot caller, not the
 * interpreter's. {@code -Djarnn.test.compiledCalls} changes the count.
 */
class CompiledKernelEquivalenceTest {
    private static final int CALLS = Integer.getInteger("jarnn.test.compiledCalls", 12_000);
    private static final float[] MACHINE_POWS = {1f, 2f, 0.5f, 3.7f};

    @Test
    void accumulateTapsStaysBitwiseEqualWhenCompiled() {
        SplittableRandom random = new SplittableRandom(2024);
        TapsCase.Layout[] layouts = TapsCase.Layout.values();
        for (int call = 0; call < CALLS; call++) {
            TapsCase.of(layouts[random.nextInt(layouts.length)], 1 + random.nextInt(12), 1 + random.nextInt(40),
                    1 + random.nextInt(8), 1 + random.nextInt(3)).assertEquivalent(random);
        }
    }

    @Test
    void seluStaysEquivalentWhenCompiled() {
        SplittableRandom random = new SplittableRandom(2025);
        for (int call = 0; call < CALLS; call++) {
            SeluEquivalenceTest.check(1 + random.nextInt(40), random.nextInt(4), random.nextInt(4),
                    random.nextInt(3), random.nextLong());
        }
    }

    @Test
    void rowNormalisationStaysEquivalentWhenCompiled() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int call = 0; call < CALLS; call++) {
            RowNormalisationEquivalenceTest.Layout layout = new RowNormalisationEquivalenceTest.Layout(
                    1 + random.nextInt(8), 1 + random.nextInt(6), MACHINE_POWS[random.nextInt(MACHINE_POWS.length)],
                    random.nextInt(4), random.nextInt(4), random.nextInt(3));
            RowNormalisationEquivalenceTest.checkLogNormalizeRows(layout, random.nextLong());
            RowNormalisationEquivalenceTest.checkProbabilityRows(layout, random.nextLong());
            RowNormalisationEquivalenceTest.checkProbabilityColumns(1 + random.nextInt(5), 1 + random.nextInt(40),
                    MACHINE_POWS[random.nextInt(MACHINE_POWS.length)], random.nextInt(4), random.nextInt(4),
                    random.nextLong());
        }
    }
}
