package io.jarnn.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line for the user from an exception. Library messages already name the file, key or
 * argument; the JDK's file system exceptions carry only a path, so they get a reason here.
 */
final class ErrorMessages {
    private ErrorMessages() {
    }

    static String describe(Throwable e) {
        String text = switch (e) {
            case NoSuchFileException f -> f.getFile() + ": no such file or directory";
            case AccessDeniedException f -> f.getFile() + ": permission denied";
            case NotDirectoryException f -> f.getFile() + ": not a directory";
            case DirectoryNotEmptyException f -> f.getFile() + ": is a directory";
            // java.io reports "path (reason)", e.g. for a directory given as a model file.
            case FileNotFoundException f when f.getMessage() != null && f.getMessage().matches("(?s).+ \\(.+\\)") ->
                    f.getMessage().replaceFirst("(?s)^(.+) \\((.+)\\)$", "$1: $2");
            case FileSystemException f -> f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "file system error");
            case IOException io when io.getMessage() == null -> io.getClass().getSimpleName();
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
        return oneLine(text);
    }

    /** Messages must stay on one line, whatever a library or the OS put into them. */
    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
