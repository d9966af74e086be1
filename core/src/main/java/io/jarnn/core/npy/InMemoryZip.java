package io.jarnn.core.npy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * A zip archive held in a byte array, read as {@link java.util.zip.ZipFile} reads a file (which
 * it cannot do for bytes): the entries come from the central directory, found through the
 * end-of-central-directory record, so an archive cut anywhere (even between two entries) is
 * refused as truncated; an entry is inflated only when it is opened, and lazily, so that the
 * reader can refuse it after its header, as it does in a file. Stored and deflated entries, as
 * {@code numpy.savez} and {@code savez_compressed} write them; no ZIP64 (a byte array is below
 * 2 GiB).
 */
final class InMemoryZip {
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int EOCD_LENGTH = 22;
    private static final int CENTRAL_LENGTH = 46;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int LOCAL_LENGTH = 30;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int UTF8_FLAG = 1 << 11;

    private final byte[] bytes;
    private final String source;
    private final int directoryOffset;
    private final List<ZipEntry> entries;
    private final Map<ZipEntry, Integer> localHeaders = new IdentityHashMap<>();

    private InMemoryZip(byte[] bytes, String source, int listed, int directoryOffset) throws NpyFormatException {
        this.bytes = bytes;
        this.source = source;
        this.directoryOffset = directoryOffset;
        List<ZipEntry> list = new ArrayList<>(listed);
        int at = directoryOffset;
        for (int i = 0; i < listed; i++) {
            if (at + CENTRAL_LENGTH > bytes.length || int32(at) != CENTRAL_SIGNATURE) {
                throw corrupt("central directory entry " + i + " of " + listed + " is missing or damaged");
            }
            int flags = int16(at + 8);
            int nameLength = int16(at + 28);
            int next = at + CENTRAL_LENGTH + nameLength + int16(at + 30) + int16(at + 32);
            long localHeader = int32(at + 42) & 0xFFFFFFFFL;
            if (next > bytes.length || localHeader >= directoryOffset) {
                throw corrupt("central directory entry " + i + " points outside the archive");
            }
            String name = new String(bytes, at + CENTRAL_LENGTH, nameLength,
                    (flags & UTF8_FLAG) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            ZipEntry entry = new ZipEntry(name);
            entry.setMethod(int16(at + 10));
            entry.setCrc(int32(at + 16) & 0xFFFFFFFFL);
            entry.setCompressedSize(int32(at + 20) & 0xFFFFFFFFL);
            entry.setSize(int32(at + 24) & 0xFFFFFFFFL);
            list.add(entry);
            localHeaders.put(entry, (int) localHeader);
            at = next;
        }
        this.entries = Collections.unmodifiableList(list);
    }

    /** The archive in {@code bytes}, its central directory read and checked; no entry inflated yet. */
    static InMemoryZip of(byte[] bytes, String source, ReadLimits limits) throws NpyFormatException {
        int eocd = endRecord(bytes, source);
        int listed = int16(bytes, eocd + 10);
        long directorySize = int32(bytes, eocd + 12) & 0xFFFFFFFFL;
        long directoryOffset = int32(bytes, eocd + 16) & 0xFFFFFFFFL;
        if (directoryOffset + directorySize != eocd) {
            throw new NpyFormatException(source, "expected a zip archive (.npz) but it is truncated or corrupt: its"
                    + " central directory (" + directorySize + " bytes at " + directoryOffset
                    + ") does not end where its end record starts (" + eocd + ")");
        }
        if (listed > limits.maxEntries()) {
            throw new NpyFormatException(source, "expected at most " + limits.maxEntries()
                    + " entries (ReadLimits.maxEntries) but the archive has " + listed);
        }
        return new InMemoryZip(bytes, source, listed, (int) directoryOffset);
    }

    /** The entries, in central-directory order. */
    List<ZipEntry> entries() {
        return entries;
    }

    /**
     * The content of {@code entry} (one of {@link #entries()}), inflated as it is read. As with
     * {@link java.util.zip.ZipFile}, the CRC is not checked here: the reader checks it (so that
     * both give the same message).
     */
    InputStream open(ZipEntry entry) throws IOException {
        int at = localHeaders.get(entry);
        if (at + LOCAL_LENGTH > directoryOffset || int32(at) != LOCAL_SIGNATURE) {
            throw corrupt("the local header of '" + entry.getName() + "' (at " + at + ") is missing or damaged");
        }
        long data = (long) at + LOCAL_LENGTH + int16(at + 26) + int16(at + 28);
        long stored = entry.getCompressedSize();
        if (data + stored > directoryOffset) {
            throw corrupt("the data of '" + entry.getName() + "' runs past the entries (" + stored + " bytes at " + data
                    + ")");
        }
        InputStream raw = new ByteArrayInputStream(bytes, (int) data, (int) stored);
        return switch (entry.getMethod()) {
            case ZipEntry.STORED -> raw;
            case ZipEntry.DEFLATED -> new InflaterInputStream(raw, new Inflater(true));
            default -> throw new ZipException("invalid compression method");
        };
    }

    private NpyFormatException corrupt(String problem) {
        return new NpyFormatException(source, "expected a zip archive (.npz) but it is truncated or corrupt: " + problem);
    }

    /** The offset of the end-of-central-directory record, which must end the archive (after its comment). */
    private static int endRecord(byte[] bytes, String source) throws NpyFormatException {
        int lowest = Math.max(0, bytes.length - EOCD_LENGTH - MAX_COMMENT);
        for (int at = bytes.length - EOCD_LENGTH; at >= lowest; at--) {
            if (int32(bytes, at) == EOCD_SIGNATURE && at + EOCD_LENGTH + int16(bytes, at + 20) == bytes.length) {
                return at;
            }
        }
        // ZipFile's words for a file without one.
        throw new NpyFormatException(source, "expected a zip archive (.npz) but it is not one or it is truncated or "
                + "corrupt: zip END header not found");
    }

    private int int16(int at) {
        return int16(bytes, at);
    }

    private int int32(int at) {
        return int32(bytes, at);
    }

    private static int int16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int int32(byte[] b, int at) {
        return int16(b, at) | int16(b, at + 2) << 16;
    }
}
