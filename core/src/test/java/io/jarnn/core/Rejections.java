package io.jarnn.core;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input must fail with an {@link IllegalArgumentException} that names the argument and says expected vs got. */
final class Rejections {
    private Rejections() {
    }

    /**
     * Asserts that {@code call} throws an {@link IllegalArgumentException} (never an
     * ArrayIndexOutOfBounds or NullPointer exception) whose message contains "expected" and every
     * fragment; returns the message.
     */
    static String assertRejected(Executable call, String... fragments) {
        String message = assertRejectedStatingTheBound(call, fragments);
        assertTrue(message.contains("expected"), () -> "message should say what was expected: " + message);
        return message;
    }

    /**
     * As {@link #assertRejected} for messages that state the violated bound in their own words
     * ("is outside shape (2, 3)", "more than the enumeration limit of ...") rather than as
     * "expected ... but got ...": the fragments must then name the argument, the bound and the value.
     */
    static String assertRejectedStatingTheBound(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String message = e.getMessage();
        assertNotNull(message, "IllegalArgumentException without a message");
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message should contain '" + fragment + "' but was: " + message);
        }
        return message;
    }
}
