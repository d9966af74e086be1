package io.jarnn.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Many small random calls per kernel through the same cases as the shape-by-shape tests. The
 * count exceeds C2's compile threshold without tiered compilation (10 000 invocations), so in
 * the surefire execution with {@code -Xbatch -XX:-TieredCompilation} the later calls compare
 * the code the JIT really produces, with the kernels inlined into a hot caller, not the
 * interpreter's. Covers every kernel, and so the three the sampler runs (accumulateTaps, selu,
 * probabilityColumns) and the planar forward's convolveFromBias, and every backward kernel. {@code -Djarnn.test.compiledCalls} changes the count.
 */
class CompiledKernelEquivalenceTest {
    private static final int CALLS = Integer.getInteger("jarnn.test.compiledCalls", 12_000);
    private static final float[] MACHINE_POWS = {1f, 2f, 0.5f, 3.7f};

    @Test
    void accumulateTapsStaysBitwiseEqualWhenCompiled() {
        SplittableRandom random = new SplittableRandom(2024);
        TapsCase.Layout[] layouts = TapsCase.Layout.values();
        int lanes = VectorLanes.FLOATS.length();
        for (int call = 0; call < CALLS; call++) {
            // One call in four as wide as the two- and three-row tiles of 8 and 12 vectors.
            int out = random.nextInt(4) == 0 ? 8 * lanes - 2 + random.nextInt(5 * lanes) : 1 + random.nextInt(40);
            TapsCase.of(layouts[random.nextInt(layouts.length)], 1 + random.nextInt(12), out,
                    1 + random.nextInt(8), 1 + random.nextInt(3), random.nextBoolean() ? 0 : Kernels.OVERREAD_PADDING)
                    .assertEquivalent(random.nextLong());
        }
    }

    @Test
    void convolveFromBiasStaysBitwiseEqualWhenCompiled() {
        SplittableRandom random = new SplittableRandom(2028);
        for (int call = 0; call < CALLS; call++) {
            ConvolveFromBiasCase.of(1 + random.nextInt(17), 1 + random.nextInt(160), 1 + random.nextInt(3),
                    1 + random.nextInt(3), 1 + random.nextInt(2), random.nextBoolean() ? 0 : Kernels.OVERREAD_PADDING)
                    .assertEquivalent(random.nextLong());
        }
    }

    @Test
    void seluStaysEquivalentWhenCompiled() {
        SplittableRandom random = new SplittableRandom(2025);
        for (int call = 0; call < CALLS; call++) {
            new SeluCase(1 + random.nextInt(40), random.nextInt(4), random.nextInt(4), random.nextInt(3),
                    random.nextBoolean(), 6f).assertEquivalent(random.nextLong());
        }
    }

    @Test
    void normalisationsStayEquivalentWhenCompiled() {
        SplittableRandom random = new SplittableRandom(2026);
        NormalisationCase.Kernel[] kernels = NormalisationCase.Kernel.values();
        for (int call = 0; call < CALLS; call++) {
            for (NormalisationCase.Kernel kernel : kernels) {
                boolean columns = kernel.byColumn();
                int distributionSize = 1 + random.nextInt(6);
                int distributions = 1 + random.nextInt(columns ? 40 : 8);
                new NormalisationCase(kernel, columns ? distributionSize : distributions,
                        columns ? distributions : distributionSize, MACHINE_POWS[random.nextInt(MACHINE_POWS.length)],
                        6f, random.nextInt(4), random.nextInt(4), random.nextInt(3)).assertEquivalent(random.nextLong());
            }
        }
    }

    @Test
    void backwardKernelsStayEquivalentWhenCompiled() {
        SplittableRandom random = new SplittableRandom(2027);
        BackwardCase.Kernel[] kernels = BackwardCase.Kernel.values();
        for (int call = 0; call < CALLS; call++) {
            BackwardCase.Kernel kernel = kernels[call % kernels.length];
            new BackwardCase(kernel, 1 + random.nextInt(12), 1 + random.nextInt(40),
                    MACHINE_POWS[random.nextInt(MACHINE_POWS.length)], 6f, random.nextInt(4), random.nextInt(4),
                    random.nextInt(3), random.nextInt(3)).assertEquivalent(random.nextLong());
        }
    }
}
