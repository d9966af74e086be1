package io.jarnn.core.npy;

import java.lang.reflect.Method;

/**
 * Bytes the current thread allocates while an action runs, from HotSpot's
 * {@code com.sun.management.ThreadMXBean}. Reached by reflection because test classes are
 * compiled into module io.jarnn.core, which (rightly) does not read java.management.
 */
final class Allocations {
    private Allocations() {
    }

    static long during(Runnable action) {
        try {
            Object threads = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean").invoke(null);
            Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
            long before = (long) allocated.invoke(threads);
            action.run();
            return (long) allocated.invoke(threads) - before;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this test needs HotSpot's thread allocation counter", e);
        }
    }
}
