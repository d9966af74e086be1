package io.jarnn.cli;

/**
 * A command line that cannot be run as given: an unknown command or flag, a missing or
 * malformed value, flags that contradict each other. {@link Main} prints the message on one
 * line and exits with status 2 (status 1 is for failures while running).
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
