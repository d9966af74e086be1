package io.jarnn.cli;

/**
 * A command that was well formed but could not do its job for a reason the user can fix (an
 * input that does not fit the model, an output directory that does not exist). {@link Main}
 * prints the message on one line and exits with status 1.
 */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }

    CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
