package io.jarnn.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When {@link CompilerActivity} says the compilers are busy: a fake compile time and clock. */
class CompilerActivityTest {
    private long compileMillis;
    private long nanos;
    private final CompilerActivity activity = new CompilerActivity(() -> compileMillis, () -> nanos);

    /** A block of {@code elapsedMillis} during which the compilers compiled for {@code compiledMillis}. */
    private void block(long elapsedMillis, long compiledMillis) {
        nanos += elapsedMillis * 1_000_000;
        compileMillis += compiledMillis;
    }

    @Test
    void busyBeforeTheFirstBlockWhateverTheCompilersDidBefore() {
        assertTrue(activity.busy());
    }

    @Test
    void busyWhileTheyCompileForHalfOfEachBlock() {
        assertTrue(activity.busy());
        block(100, 90);
        assertTrue(activity.busy());
        block(100, 50);
        assertTrue(activity.busy(), "exactly half counts as busy");
        block(100, 49);
        assertFalse(activity.busy());
    }

    @Test
    void warmForTheRestOfTheRunOnceTheyWereQuietForABlock() {
        assertTrue(activity.busy());
        block(100, 0);
        assertFalse(activity.busy());
        block(100, 100);
        assertFalse(activity.busy(), "a late recompilation does not bring the warm-up back");
    }

    @Test
    void compilationTimeBeforeTheFirstBlockDoesNotCount() {
        compileMillis = 10_000;
        assertTrue(activity.busy());
        block(100, 0);
        assertFalse(activity.busy());
    }
}
