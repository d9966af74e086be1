package io.jarnn.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks made on output files before any work starts, so that an hour of sampling is not lost
 * to a typo in a directory name. The writes themselves are atomic (a temporary file renamed into
 * place), so a failure that gets past these checks still leaves no partial file.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * {@code path} ends in {@code suffix} (a usage error of {@code command} otherwise: {@code --out model.npz} for
     * samples is more likely a slip than a wish to overwrite the model) and its directory exists
     * and is writable.
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
        return path;
    }

    /** Two outputs, or an output and an input, must be different files. */
    static void requireDistinct(CommandSpec command, String flagA, Path a, String flagB, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            throw new ParameterException(command.commandLine(), flagA + " and " + flagB
                    + ": expected different files but both are '" + a + "'");
        }
    }
}
