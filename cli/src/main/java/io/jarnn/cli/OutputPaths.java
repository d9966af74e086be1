package io.jarnn.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks made on output files before any work starts, so that an hour of sampling is not lost
 * to a typo in a directory name, a name too long for the file system, a full disk, or an output
 * that is an input under another name. The writes themselves are atomic (temporary files renamed
 * into place), so a failure that gets past these checks still leaves no partial file.
 */
final class OutputPaths {
    /** Names up to this many bytes fit every common file system (eCryptfs allows 143, most 255). */
    private static final int SHORT_NAME_BYTES = 100;

    private OutputPaths() {
    }

    /**
     * {@code path} ends in {@code suffix} (a usage error of {@code command} otherwise: {@code --out model.npz} for
     * samples is more likely a slip than a wish to overwrite the model), its directory exists
     * and is writable, and the file system accepts its name.
     */
    static Path requireWritable(CommandSpec command, String flag, Path path, String suffix) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!name.endsWith(suffix) || name.equals(suffix)) {
            throw new ParameterException(command.commandLine(), flag + ": expected a file name ending in " + suffix
                    + " but got '" + path + "'");
        }
        Path absolute = path.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new CommandFailure("cannot write " + path + ": it is a directory");
        }
        Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new CommandFailure("cannot write " + path + ": directory " + (directory == null ? "/" : directory)
                    + " does not exist");
        }
        if (!Files.isWritable(directory)) {
            throw new CommandFailure("cannot write " + path + ": directory " + directory + " is not writable");
        }
        requireAcceptedName(path, directory, name);
        return path;
    }

    /**
     * The final rename is the first use of the name itself (temporary files have short names of
     * their own), so a name too long for the file system would fail only after all the work. A
     * long name is tried out up front: a hidden file with a name of the same length in bytes is
     * created and deleted.
     */
    private static void requireAcceptedName(Path path, Path directory, String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= SHORT_NAME_BYTES || Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String random = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        Path probe = directory.resolve("." + random + "~".repeat(bytes - 1 - random.length()));
        try {
            Files.createFile(probe);
            Files.delete(probe);
        } catch (FileAlreadyExistsException e) {
            // Someone else's file of that length: the name length is fine.
        } catch (FileSystemException e) {
            throw new CommandFailure("cannot write " + path + ": " + (e.getReason() != null ? e.getReason()
                    : "the file system refuses the name") + " (" + bytes + " bytes)", e);
        } catch (IOException e) {
            throw new CommandFailure("cannot write " + path + ": " + ErrorMessages.describe(e), e);
        }
    }

    /**
     * Fails if the file systems of {@code files} (path → bytes to be written) have less usable
     * space than the new files need, counted in full: the old files are replaced only at the end.
     * File systems that report no size are not checked.
     */
    static void requireSpace(Map<Path, Long> files) {
        Map<FileStore, Long> needed = new LinkedHashMap<>();
        Map<FileStore, Path> example = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, Long> e : files.entrySet()) {
                FileStore store = Files.getFileStore(e.getKey().toAbsolutePath().getParent());
                needed.merge(store, e.getValue(), Long::sum);
                example.putIfAbsent(store, e.getKey());
            }
            for (Map.Entry<FileStore, Long> e : needed.entrySet()) {
                FileStore store = e.getKey();
                long usable = store.getUsableSpace();
                if (store.getTotalSpace() > 0 && usable < e.getValue()) {
                    throw new CommandFailure(String.format(Locale.ROOT, "cannot write %s: it needs %s but the "
                            + "file system has %s free", example.get(store), bytes(e.getValue()), bytes(usable)));
                }
            }
        } catch (IOException e) {
            // A file store that cannot be queried is not a reason to refuse; the write itself will tell.
        }
    }

    static String bytes(long n) {
        if (n < 1000) {
            return n + " bytes";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * Two outputs, or an output and an input, must be different files: compared as files, not
     * as text, so that a symbolic link, a hard link or a directory reached two ways does not let
     * an output replace an input.
     */
    static void requireDistinct(CommandSpec command, String flagA, Path a, String flagB, Path b) {
        if (sameText(a, b)) {
            throw new ParameterException(command.commandLine(), flagA + " and " + flagB
                    + ": expected different files but both are '" + a + "'");
        }
        if (sameFile(a, b)) {
            throw new ParameterException(command.commandLine(), flagA + " and " + flagB
                    + ": expected different files but '" + a + "' and '" + b + "' are the same file");
        }
    }

    private static boolean sameText(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Whether {@code a} and {@code b} are, or will be, one file: the same file when both exist
     * (symbolic and hard links followed), else the same name in the same real directory.
     */
    static boolean sameFile(Path a, Path b) {
        if (sameText(a, b)) {
            return true;
        }
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
            return inRealDirectory(a).equals(inRealDirectory(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path inRealDirectory(Path p) {
        Path absolute = p.toAbsolutePath();
        Path parent = absolute.getParent();
        try {
            return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            return absolute.normalize();
        }
    }
}
