package io.jarnn.core.npy;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How keys map to zip entry names in an {@code .npz} archive: array {@code k} is the entry
 * {@code k.npy} (as {@code numpy.savez} stores it); text entries keep their own name, which
 * must end in one of {@link #TEXT_SUFFIXES} so that no name can be read both ways.
 */
final class NpzEntryNames {
    static final String ARRAY_SUFFIX = ".npy";
    static final List<String> TEXT_SUFFIXES = List.of(".json", ".txt");

    /** The zip format stores a name's length in 16 bits. */
    private static final int MAX_NAME_BYTES = 0xFFFF;

    private NpzEntryNames() {
    }

    static boolean isArray(String entryName) {
        return entryName.endsWith(ARRAY_SUFFIX);
    }

    static boolean isText(String entryName) {
        return TEXT_SUFFIXES.stream().anyMatch(entryName::endsWith);
    }

    static String keyOf(String arrayEntryName) {
        return arrayEntryName.substring(0, arrayEntryName.length() - ARRAY_SUFFIX.length());
    }

    /** Checks an array key before writing and returns its entry name. */
    static String arrayEntry(String key) {
        requireSafe("arrays", key, key + ARRAY_SUFFIX);
        return key + ARRAY_SUFFIX;
    }

    /** Checks a text entry name before writing and returns it. */
    static String textEntry(String name) {
        requireSafe("texts", name, name);
        if (!isText(name)) {
            throw new IllegalArgumentException("texts: expected a name ending in one of " + TEXT_SUFFIXES
                    + " but got '" + name + "'");
        }
        return name;
    }

    /**
     * Rejects names that unzip tools would treat as paths outside the extraction directory, or
     * that the zip format cannot store: empty, absolute, with backslashes, control characters,
     * or empty, "." or ".." segments.
     */
    private static void requireSafe(String argument, String key, String entryName) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(argument + ": expected a non-empty key but got "
                    + (key == null ? "null" : "''"));
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c == '\\')) {
            throw new IllegalArgumentException(argument + ": expected a key without control characters or "
                    + "backslashes but got '" + printable(key) + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(argument + ": expected '/'-separated segments that are "
                        + "neither empty, '.' nor '..' but got '" + key + "'");
            }
        }
        int nameBytes = entryName.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(argument + ": expected an entry name of at most " + MAX_NAME_BYTES
                    + " UTF-8 bytes but got " + nameBytes);
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        });
        return sb.toString();
    }
}
