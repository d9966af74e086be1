package io.jarnn.io;

import java.io.IOException;

/**
 * A readable {@code .npz} archive that does not describe a valid model: its configuration entry
 * is missing, malformed or invalid, or its arrays do not fit the configuration (a missing,
 * extra or mis-shaped key, a non-finite used entry). Archives that cannot be read at all are
 * {@link io.jarnn.core.npy.NpyFormatException}s; both are {@link IOException}s, so one handler
 * covers every bad model file.
 *
 * <p>The message starts with {@link #source()} followed by the problem, which names the field
 * or key.
 */
public class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    public ModelFileException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public ModelFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The file, or {@code "file, jarnn-config.json"} for a problem in the configuration entry. */
    public String source() {
        return source;
    }
}
