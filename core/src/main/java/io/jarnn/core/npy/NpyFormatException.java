package io.jarnn.core.npy;

import java.io.IOException;

/**
 * A {@code .npy} or {@code .npz} file that cannot be read: it is corrupt, hostile, or uses a
 * NumPy feature jarnn does not support.
 *
 * <p>It is an {@link IOException} (as {@link java.util.zip.ZipException} is) so that callers
 * handle "file missing", "disk failed" and "file unreadable" in one place. The message starts
 * with {@link #source()} (the file, and for an archive the key) followed by what was expected
 * and what was found.
 */
public class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    public NpyFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public NpyFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The file, or {@code "file, key 'k'"} for an array inside an archive. */
    public String source() {
        return source;
    }
}
