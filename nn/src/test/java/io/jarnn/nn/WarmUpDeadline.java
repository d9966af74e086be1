package io.jarnn.nn;

import java.util.concurrent.TimeUnit;

/**
 * How long an allocation test may call a kernel path before it must have stopped allocating.
 * C2 compiles the Vector API kernels after some thousands of calls on a quiet machine; on a
 * loaded one (CI's two cores, or helpers building beside the tests) its queue held them back
 * past 3000 calls once, and the warm-up bound was a call count. A real per-call allocation
 * never goes away, so a generous time still fails it, only later.
 */
final class WarmUpDeadline {
    /** At least this many calls, however fast: the old bound, still what a quiet machine needs. */
    private static final int MIN_CALLS = 3000;
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final long end;
    private int calls;

    private WarmUpDeadline(long end) {
        this.end = end;
    }

    static WarmUpDeadline start() {
        return new WarmUpDeadline(System.nanoTime() + LIMIT_NANOS);
    }

    /** True while warming up may go on; counts one call each time it is asked. */
    boolean notPassed() {
        return calls++ < MIN_CALLS || System.nanoTime() - end < 0;
    }
}
