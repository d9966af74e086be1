package io.jarnn.kernels;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The vector draw, once C2 has compiled it, allocates nothing: every Vector API operation in
 * it is intrinsified, none left boxed. Run by the surefire executions that run C2 alone with
 * {@code -Xbatch} (compilation done when the call that triggers it returns): the default
 * instruction set, and {@code -XX:UseAVX=2}, where C2 has no long-to-double conversion and an
 * earlier draw boxed every block (35.8 MB per sampler call at batch 64). Elsewhere it is
 * skipped: under tiered compilation the kernel may still be interpreted when measured.
 */
class CompiledDrawAllocationTest {
    private static final int ROWS = 64;

    @Test
    void theCompiledVectorDrawAllocatesNothing() {
        assumeTrue("c2-only".equals(System.getProperty("jarnn.test.jit")), "needs C2 alone with -Xbatch");
        SplittableRandom random = new SplittableRandom(7);
        float[] p = new float[2 * ROWS];
        for (int r = 0; r < ROWS; r++) {
            float p0 = (float) random.nextDouble();
            p[r] = p0;
            p[ROWS + r] = 1f - p0;
        }
        float[] out = new float[ROWS];
        Kernels vector = VectorKernels.INSTANCE;
        long state = 1;
        for (int call = 0; call < 12_000; call++) {
            state += draw(vector, p, out, state);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[5];
        for (int pass = 0; pass < allocated.length; pass++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int call = 0; call < 1_000; call++) {
                state += draw(vector, p, out, state);
            }
            allocated[pass] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        // One pass may see a transient of the JVM's own; a boxed vector shows in every one.
        long zero = Arrays.stream(allocated).filter(a -> a == 0).count();
        assertTrue(zero >= allocated.length - 1,
                "bytes allocated by each of five passes of 1000 compiled drawOfTwo calls of " + ROWS + " rows: "
                        + Arrays.toString(allocated) + " (" + ManagementFactory.getRuntimeMXBean().getInputArguments() + ")");
    }

    private static int draw(Kernels kernels, float[] p, float[] out, long state) {
        int drawn = kernels.drawOfTwo(p, 0, ROWS, state, 0f, 1f, out, 0);
        assertEquals(ROWS, drawn, "rows drawn");
        return drawn;
    }
}
