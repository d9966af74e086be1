package io.jarnn.core.npy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child process for {@link AtomicFileSetTest}: locks the lock file named by its argument the
 * way another {@code jarnn sample} would, prints "locked", and releases it when stdin closes.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            System.out.println("locked");
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
