package io.jarnn.core.npy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The entries of a zip archive held in a byte array, for {@link NpzArchive#read(byte[], String,
 * ReadLimits, ArrayAdmission)}: {@link java.util.zip.ZipFile} reads only files. The archive must
 * be whole: its end-of-central-directory record is found and checked first (a truncated
 * archive has none, or one that points past the end), and the entries read in order must be as
 * many as the central directory lists, so that an archive cut at an entry boundary is refused
 * rather than read as a shorter one. Each entry's content is inflated into memory once, counted
 * against the archive's byte budget as it inflates, and its CRC is checked by
 * {@link ZipInputStream}.
 */
final class InMemoryZip {
    /** End-of-central-directory signature, "PK\5\6". */
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int EOCD_LENGTH = 22;
    private static final int MAX_COMMENT = 0xFFFF;

    /** One entry and its content. */
    record Entry(ZipEntry entry, byte[] content) {
        InputStream open() {
            return new ByteArrayInputStream(content);
        }
    }

    private InMemoryZip() {
    }

    /** The entries of {@code bytes}, in archive order, directories skipped. */
    static List<Entry> read(byte[] bytes, String source, ReadLimits limits) throws IOException {
        int listed = listedEntries(bytes, source);
        if (listed > limits.maxEntries()) {
            throw new NpyFormatException(source, "expected at most " + limits.maxEntries()
                    + " entries (ReadLimits.maxEntries) but the archive has " + listed);
        }
        ByteBudget budget = new ByteBudget(limits.maxTotalBytes());
        List<Entry> entries = new ArrayList<>();
        int seen = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                seen++;
                if (seen > listed) {
                    break;
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String entrySource = source + ", entry '" + entry.getName() + "'";
                budget.requireDeclared(entry.getSize(), entrySource);
                entries.add(new Entry(entry, readBudgeted(zip, budget, entrySource)));
            }
        } catch (ZipException | EOFException e) {
            throw new NpyFormatException(source, "expected a zip archive (.npz) but it is truncated or corrupt: "
                    + e.getMessage(), e);
        }
        if (seen != listed) {
            throw new NpyFormatException(source, "expected the " + listed + " entries its central directory lists"
                    + " but " + seen + " are stored: the archive is truncated or corrupt");
        }
        return entries;
    }

    private static byte[] readBudgeted(ZipInputStream zip, ByteBudget budget, String source) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = zip.read(buffer)) > 0) {
            budget.charge(n, source);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * The entry count of the end-of-central-directory record, which must end the archive (after
     * its comment) and whose central directory must lie within the bytes, right before it.
     */
    private static int listedEntries(byte[] bytes, String source) throws NpyFormatException {
        int lowest = Math.max(0, bytes.length - EOCD_LENGTH - MAX_COMMENT);
        for (int at = bytes.length - EOCD_LENGTH; at >= lowest; at--) {
            if (int32(bytes, at) != EOCD_SIGNATURE) {
                continue;
            }
            int commentLength = int16(bytes, at + 20);
            if (at + EOCD_LENGTH + commentLength != bytes.length) {
                continue;
            }
            int entries = int16(bytes, at + 10);
            long directorySize = int32(bytes, at + 12) & 0xFFFFFFFFL;
            long directoryOffset = int32(bytes, at + 16) & 0xFFFFFFFFL;
            if (directoryOffset + directorySize != at) {
                throw new NpyFormatException(source, "expected a zip archive (.npz) but it is truncated or corrupt:"
                        + " its central directory (" + directorySize + " bytes at " + directoryOffset
                        + ") does not end where its end record starts (" + at + ")");
            }
            return entries;
        }
        throw new NpyFormatException(source, "expected a zip archive (.npz) but it is not one or it is truncated ("
                + bytes.length + " bytes, no end-of-central-directory record)");
    }

    private static int int16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int int32(byte[] b, int at) {
        return int16(b, at) | int16(b, at + 2) << 16;
    }
}
