package io.jarnn.vmc;

import java.util.concurrent.TimeUnit;

/**
 * How long an allocation test may call a kernel path before it must have stopped allocating:
 * at least {@value #MIN_CALLS} calls, then on until a minute has passed. C2 compiles the Vector
 * API kernels (and until then they box) after some thousands of calls on a quiet machine, but a
 * loaded one (CI's two cores, or builds beside the tests) held its queue past 3000 calls, and a
 * call-count bound then failed a test with nothing wrong. A real per-call allocation never goes
 * away, so the minute still fails it, only later. The nn module's tests keep the same bound in
 * their own package ({@code io.jarnn.nn.WarmUpDeadline}): test classes cannot cross modules
 * without splitting a package.
 */
final class WarmUpDeadline {
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
