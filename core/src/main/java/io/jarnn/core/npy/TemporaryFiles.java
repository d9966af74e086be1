package io.jarnn.core.npy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hidden temporary files of writes in progress, so that none outlives the process on any
 * exit path. A failed write deletes its own temporary file; a shutdown hook, installed with the
 * first temporary file, deletes those still registered when the JVM exits otherwise (SIGINT,
 * SIGTERM, {@code System.exit} from another thread). Only SIGKILL or a power cut can leave one.
 *
 * <p>On SIGINT the JVM runs the hook while the writing thread goes on, so the two take
 * {@link #LOCK}: the hook waits for a rename in progress to finish (renames take microseconds)
 * and afterwards no temporary file is created or renamed into place. An interrupted write
 * therefore either completes its renames entirely or does none of them.
 */
final class TemporaryFiles {
    /** Held to register, unregister or rename a temporary file, and by the hook while it deletes them. */
    static final Object LOCK = new Object();

    private static final Set<Path> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;
    private static boolean shuttingDown;

    private TemporaryFiles() {
    }

    /**
     * Creates a new empty hidden file next to {@code target}, named after it, and registers it
     * for deletion at exit.
     */
    static Path create(Path target) throws IOException {
        Path directory = target.getParent();
        String name = target.getFileName().toString();
        // Long names are cut so that the temporary name stays within the file system's limit.
        String stem = "." + (name.length() > 100 ? name.substring(0, 100) : name) + ".";
        for (int attempt = 0; ; attempt++) {
            Path temp = directory.resolve(stem + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            synchronized (LOCK) {
                requireRunning(target);
                installHook();
                try {
                    Files.createFile(temp);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 8) {
                        throw e;
                    }
                    continue;
                }
                LIVE.add(temp);
                return temp;
            }
        }
    }

    /** Deletes {@code temp} if it still exists and forgets it; a failure is added to {@code failure}. */
    static void delete(Path temp, Throwable failure) {
        synchronized (LOCK) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            LIVE.remove(temp);
        }
    }

    /** Forgets {@code temp} after it was renamed into place; the caller holds {@link #LOCK}. */
    static void renamed(Path temp) {
        LIVE.remove(temp);
    }

    /**
     * Throws if the JVM is shutting down; the caller holds {@link #LOCK} and keeps it across the
     * renames that this check admits.
     */
    static void requireRunning(Path target) throws IOException {
        if (shuttingDown) {
            throw new IOException("not writing " + target + ": the program is being stopped");
        }
    }

    /** The temporary files not yet renamed or deleted (for tests). */
    static List<Path> live() {
        synchronized (LOCK) {
            return List.copyOf(LIVE);
        }
    }

    /**
     * Deletes every registered temporary file: the shutdown hook's work. Tests call it directly;
     * the hook also sets {@code shuttingDown} first.
     */
    static void deleteAll() {
        synchronized (LOCK) {
            for (Path temp : LIVE) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // Nothing more can be done while the JVM exits; the next file is still worth trying.
                }
            }
            LIVE.clear();
        }
    }

    private static void installHook() throws IOException {
        if (!hookInstalled) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    synchronized (LOCK) {
                        shuttingDown = true;
                        deleteAll();
                    }
                }, "jarnn-delete-temporary-files"));
            } catch (IllegalStateException e) {
                throw new IOException("not writing: the program is being stopped", e);
            }
            hookInstalled = true;
        }
    }
}
