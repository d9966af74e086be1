package io.jarnn.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Whether the JIT compilers are still busy with the code a run has just started executing: then
 * {@link ChunkedSampling} samples on one thread fewer when its threads would otherwise take
 * every core, so that the compilers get a core of their own.
 *
 * <p>Why: the sampler's Vector API kernels run hundreds of times slower before C2 has compiled
 * them (interpreted or C1 code boxes every vector), so the first block of a run is almost all
 * waiting for the compilers. A second sampling thread adds next to nothing then, but takes
 * processor time from the C2 thread it is waiting for: on two cores, the first block of 10^6
 * samples of 100 sites (1,024 rows per thread, about 5 ms of compiled sampling each) cost
 * 0.65 s of CPU on one thread, and 0.62-0.74 s in each of two.
 *
 * <p>The compilers count as busy on the first block (nothing of the sampler is compiled yet)
 * and as long as they spent at least half of each block's elapsed time compiling; the first
 * block during which they did not ends the warm-up for the rest of the run (a late
 * recompilation is not worth a block at fewer threads).
 */
final class CompilerActivity {
    /** Compiler time per elapsed time above which the compilers count as busy. */
    static final double BUSY_SHARE = 0.5;

    private final LongSupplier compileMillis;
    private final LongSupplier nanoTime;
    private boolean warm;
    private boolean started;
    private long lastCompileMillis;
    private long lastNanos;

    /**
     * @param compileMillis the compilers' accumulated time, in milliseconds (summed over their
     *                      threads), or a constant when the JVM does not report it
     * @param nanoTime      the clock
     */
    CompilerActivity(LongSupplier compileMillis, LongSupplier nanoTime) {
        this.compileMillis = compileMillis;
        this.nanoTime = nanoTime;
    }

    /** This JVM's compilers; without compilation time monitoring, busy for the first block only. */
    static CompilerActivity ofThisJvm() {
        CompilationMXBean compilers = ManagementFactory.getCompilationMXBean();
        LongSupplier millis = compilers != null && compilers.isCompilationTimeMonitoringSupported()
                ? compilers::getTotalCompilationTime
                : () -> 0;
        return new CompilerActivity(millis, System::nanoTime);
    }

    /**
     * Whether the compilers are busy before the next block: true before the first, then
     * whether they compiled for at least {@link #BUSY_SHARE} of the time since the previous
     * call, until the first time they did not.
     */
    boolean busy() {
        long compile = compileMillis.getAsLong();
        long now = nanoTime.getAsLong();
        if (!started) {
            started = true;
        } else if (!warm) {
            double elapsedMillis = (now - lastNanos) / 1e6;
            warm = compile - lastCompileMillis < BUSY_SHARE * elapsedMillis;
        }
        lastCompileMillis = compile;
        lastNanos = now;
        return !warm;
    }
}
