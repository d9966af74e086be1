package io.jarnn.core.npy;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Files that belong together — samples and their log-probabilities — replaced so that no reader
 * ever finds a file of one write next to a file of another, whatever fails and however many
 * processes write the same files at once.
 *
 * <p>Use: {@link #of} names the <em>primary</em> file, {@link #create} gives a stream for it
 * and for each companion, {@link #deleteOnCommit} names stale files that must go with the old
 * primary, {@link #commit} puts everything in place, {@link #close} removes whatever was not
 * committed. Each stream writes a hidden temporary file in its target's directory
 * ({@code .NAME.<random>.tmp}), registered for deletion at exit (see {@link TemporaryFiles}).
 * An error from the file system while writing names the target file, e.g.
 * {@code s.npy: No space left on device}.
 *
 * <h2>The commit protocol</h2>
 * All temporaries are complete and forced to the device before anything existing is touched,
 * so a failure while writing (a full disk, Ctrl-C during a long run) leaves the old files as they
 * were. Then, holding an exclusive lock on {@code .PRIMARY.lock} in the primary's directory
 * ({@link FileChannel#lock}, so writers in other processes wait; the lock file is deleted
 * before the lock is released):
 * <ol>
 *   <li>the old primary is deleted (only if companions are written);</li>
 *   <li>the stale files are deleted;</li>
 *   <li>each companion's temporary is renamed over the companion;</li>
 *   <li>the primary's temporary is renamed over the primary — last.</li>
 * </ol>
 * The directory therefore passes through {old primary, old companions} → {old companions} →
 * {new companions} → {new primary, new companions}: whenever the primary exists, the companions
 * next to it are its own. The primary is the commit mark; a crash in the middle (SIGKILL, power
 * loss — not SIGINT, see {@link TemporaryFiles}) leaves companions without a primary, never a
 * mismatched set. With one file and no stale files this is a plain atomic replace without a lock.
 *
 * <p>A reader that may race a writer opens the primary, then the companions, then checks that
 * the primary path still names the file it opened ({@code os.stat(p).st_ino ==
 * os.fstat(f.fileno()).st_ino} in Python); if it does, the set is consistent, else it retries.
 * (The primary cannot change without first being deleted, and no companion changes until it
 * is.) Alternatively it holds the lock file, as writers do.
 *
 * <p>Not thread-safe; one set per write.
 */
public final class AtomicFileSet implements Closeable {
    /** Serialises commits within this JVM: a file lock is held per process, not per thread. */
    private static final ReentrantLock COMMITS = new ReentrantLock();

    private final Path primary;
    private final List<Staged> staged = new ArrayList<>();
    private final Set<Path> stale = new LinkedHashSet<>();
    private boolean finished;

    private AtomicFileSet(Path primary) {
        this.primary = primary;
    }

    /** A set whose primary file, the one renamed into place last, is {@code primary}. */
    public static AtomicFileSet of(Path primary) {
        return new AtomicFileSet(absoluteFile(primary));
    }

    /**
     * A stream for the new content of {@code target}: the primary or a companion, each once.
     * Closing the stream only flushes it; {@link #commit} finishes the file.
     */
    public OutputStream create(Path target) throws IOException {
        requireOpen();
        Path absolute = absoluteFile(target);
        for (Staged s : staged) {
            if (s.target.equals(absolute)) {
                throw new IllegalArgumentException("target: " + target + " is already part of this set");
            }
        }
        Path temp = TemporaryFiles.create(absolute);
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            TemporaryFiles.delete(temp, e);
            throw e;
        }
        Staged s = new Staged(absolute, temp, channel);
        staged.add(s);
        return s.out;
    }

    /** Deletes {@code file}, if it exists, when the set is committed: e.g. a companion of the old primary. */
    public void deleteOnCommit(Path file) {
        requireOpen();
        stale.add(absoluteFile(file));
    }

    /**
     * Pushes what was written so far to the device: flushes every stream and forces its
     * temporary file's data. For a long write whose data is produced while it is written (by
     * another thread): the device then works during the run instead of all at once in
     * {@link #commit}, which is left only the rest to force. Nothing is put in place. Call it
     * from the thread that writes the streams.
     */
    public void forceWritten() throws IOException {
        requireOpen();
        for (Staged s : staged) {
            s.force();
        }
    }

    /**
     * Finishes every file and puts the set in place by the protocol in the class comment.
     *
     * @throws IllegalStateException if the primary was not {@linkplain #create created}
     */
    public void commit() throws IOException {
        requireOpen();
        Staged main = staged.stream().filter(s -> s.target.equals(primary)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the primary " + primary + " was not written"));
        for (Staged s : staged) {
            s.finish();
        }
        List<Staged> companions = staged.stream().filter(s -> s != main).toList();
        if (companions.isEmpty() && stale.isEmpty()) {
            synchronized (TemporaryFiles.LOCK) {
                TemporaryFiles.requireRunning(primary);
                main.moveIntoPlace();
            }
        } else {
            withLock(() -> {
                synchronized (TemporaryFiles.LOCK) {
                    TemporaryFiles.requireRunning(primary);
                    // Nothing is deleted unless every rename can be attempted.
                    for (Staged s : staged) {
                        if (!Files.exists(s.temp, LinkOption.NOFOLLOW_LINKS)) {
                            throw new NoSuchFileException(s.temp.toString(), null,
                                    "the temporary file of " + s.target + " is gone");
                        }
                    }
                    if (!companions.isEmpty()) {
                        Files.deleteIfExists(primary);
                    }
                    for (Path file : stale) {
                        Files.deleteIfExists(file);
                    }
                    for (Staged s : companions) {
                        s.moveIntoPlace();
                    }
                    main.moveIntoPlace();
                }
            });
        }
        finished = true;
        Set<Path> directories = new LinkedHashSet<>();
        staged.forEach(s -> directories.add(s.target.getParent()));
        stale.forEach(f -> directories.add(f.getParent()));
        directories.forEach(AtomicFileSet::syncDirectory);
    }

    /** Closes the streams and deletes the temporary files that were not committed. */
    @Override
    public void close() {
        finished = true;
        IOException ignored = new IOException("cleanup");
        for (Staged s : staged) {
            try {
                s.channel.close();
            } catch (IOException e) {
                ignored.addSuppressed(e);
            }
            TemporaryFiles.delete(s.temp, ignored);
        }
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("this set of " + primary + " was already committed or closed");
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    /**
     * Runs {@code action} holding the lock file {@code .PRIMARY.lock}, and deletes the lock file
     * before releasing it. A waiter may thus end up locking a file that is no longer in the
     * directory; it notices because the path then names another file (or none), and starts over.
     * Where the file system gives no file keys the lock file cannot be checked and so stays.
     */
    private void withLock(Action action) throws IOException {
        Path lockFile = primary.resolveSibling(lockName(primary.getFileName().toString()));
        boolean keys = Files.readAttributes(primary.getParent(), BasicFileAttributes.class).fileKey() != null;
        COMMITS.lock();
        try {
            while (true) {
                Object before = keys ? fileKey(lockFile) : null;
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    if (!keys) {
                        try (FileLock ignored = channel.lock()) {
                            action.run();
                        }
                        return;
                    }
                    Object opened = fileKey(lockFile);
                    if (opened == null || before != null && !before.equals(opened)) {
                        continue;
                    }
                    try (FileLock ignored = channel.lock()) {
                        // While our channel is open the file's inode cannot be reused, so an equal key is our file.
                        if (!opened.equals(fileKey(lockFile))) {
                            continue;
                        }
                        try {
                            action.run();
                        } finally {
                            Files.deleteIfExists(lockFile);
                        }
                        return;
                    }
                }
            }
        } finally {
            COMMITS.unlock();
        }
    }

    /** {@code .NAME.lock}, with long names cut so that the lock file's name stays within the limit. */
    static String lockName(String name) {
        return name.length() <= 100 ? "." + name + ".lock"
                : "." + name.substring(0, 100) + "." + Integer.toHexString(name.hashCode()) + ".lock";
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Path absoluteFile(Path target) {
        Objects.requireNonNull(target, "path");
        Path absolute = target.toAbsolutePath();
        if (absolute.getParent() == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException("path: expected a file path but got " + target);
        }
        return absolute;
    }

    /**
     * Makes the renames themselves durable. Best effort: not every platform can open or force a
     * directory, and the new content is complete and in place either way.
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Durability of the directory entry is an extra, not a promise of this class.
        }
    }

    /** {@code e}, a failure of the device without a file name, as a {@link FileSystemException} naming {@code target}. */
    static FileSystemException naming(Path target, IOException e) {
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        FileSystemException named = new FileSystemException(target.toString(), null, reason);
        named.initCause(e);
        return named;
    }

    /** One target's temporary file, its channel and the buffered stream on it. */
    private static final class Staged {
        final Path target;
        final Path temp;
        final FileChannel channel;
        final OutputStream out;

        Staged(Path target, Path temp, FileChannel channel) {
            this.target = target;
            this.temp = temp;
            this.channel = channel;
            this.out = new BufferedOutputStream(new ChannelStream(target, channel), 1 << 16);
        }

        void force() throws IOException {
            out.flush();
            try {
                channel.force(false);
            } catch (FileSystemException e) {
                throw e;
            } catch (IOException e) {
                throw ChannelStream.naming(target, e);
            }
        }

        void finish() throws IOException {
            out.flush();
            try {
                channel.force(true);
                channel.close();
            } catch (FileSystemException e) {
                throw e;
            } catch (IOException e) {
                throw ChannelStream.naming(target, e);
            }
        }

        /** Renames the temporary over the target; the caller holds {@link TemporaryFiles#LOCK}. */
        void moveIntoPlace() throws IOException {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            TemporaryFiles.renamed(temp);
        }
    }

    /**
     * Writes to a channel; close only flushes (content writers may close their wrappers, as a
     * ZipOutputStream does, before the channel is forced). The JDK reports a failed write
     * without the file ("No space left on device"), so the failure is re-thrown naming the target.
     */
    private static final class ChannelStream extends OutputStream {
        private final Path target;
        private final FileChannel channel;

        ChannelStream(Path target, FileChannel channel) {
            this.target = target;
            this.channel = channel;
        }

        static FileSystemException naming(Path target, IOException e) {
            return AtomicFileSet.naming(target, e);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (FileSystemException e) {
                throw e;
            } catch (IOException e) {
                throw naming(target, e);
            }
        }

        @Override
        public void close() {
            // The channel is forced and closed by Staged.finish (or AtomicFileSet.close).
        }
    }
}
