package io.jarnn.core.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Replaces a file all at once: readers see either the old content or the complete new one,
 * never a half-written file, and a failure leaves the old content in place.
 *
 * <p>The content goes to a hidden temporary file in the target's directory (same file system,
 * so the final rename is atomic), is forced to the device, and is then moved over the target;
 * on any failure, and if the JVM is stopped (SIGINT, SIGTERM) while writing, the temporary file
 * is deleted. An error of the file system names the target. The new file gets the default
 * permissions of a newly created file, not those of the file it replaces. This is an
 * {@link AtomicFileSet} of one file.
 */
final class AtomicFiles {
    /** Writes the content of the file to {@code out}; may close it. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    static void write(Path target, Content content) throws IOException {
        try (AtomicFileSet file = AtomicFileSet.of(target)) {
            content.writeTo(file.create(target));
            file.commit();
        }
    }
}
