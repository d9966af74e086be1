package io.jarnn.nn;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input must fail with an {@link IllegalArgumentException} that names the argument and says expected vs got. */
final class Rejections {
    private Rejections() {
    }

    /**
     * Asserts that {@code call} throws an {@link IllegalArgumentException} (not an
     * ArrayIndexOutOfBounds or NullPointer exception) whose message contains "expected" and
     * every fragment; returns the message.
     */
    static String assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String message = e.getMessage();
        assertNotNull(message, "IllegalArgumentException without a message");
        assertTrue(message.contains("expected"), () -> "message should say what was expected: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message should contain '" + fragment + "' but was: " + message);
        }
        return message;
    }
}
