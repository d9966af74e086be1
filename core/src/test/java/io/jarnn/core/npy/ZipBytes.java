package io.jarnn.core.npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds zip archives in memory with java.util.zip, and patches them into hostile ones. */
final class ZipBytes {
    private static final int CEN_SIGNATURE = 0x02014b50;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ZipOutputStream zip = new ZipOutputStream(bytes);

    ZipBytes stored(String name, byte[] content) {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        return put(entry, content);
    }

    ZipBytes deflated(String name, byte[] content) {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.DEFLATED);
        return put(entry, content);
    }

    private ZipBytes put(ZipEntry entry, byte[] content) {
        try {
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    byte[] toByteArray() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Sets the uncompressed size the central directory declares for entry {@code name}. */
    static void declareSize(byte[] zip, String name, long size) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 <= zip.length; i++) {
            if (b.getInt(i) == CEN_SIGNATURE && (b.getShort(i + 28) & 0xFFFF) == wanted.length
                    && new String(zip, i + 46, wanted.length, StandardCharsets.UTF_8).equals(name)) {
                b.putInt(i + 24, (int) size);
                return;
            }
        }
        throw new AssertionError("no central directory entry named " + name);
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length), e.g. to duplicate a name. */
    static void replaceAll(byte[] zip, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        if (f.length != t.length) {
            throw new IllegalArgumentException("from, to: expected equal lengths");
        }
        int count = 0;
        for (int i = 0; i + f.length <= zip.length; i++) {
            if (java.util.Arrays.equals(zip, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, zip, i, t.length);
                count++;
            }
        }
        if (count == 0) {
            throw new AssertionError("'" + from + "' does not occur");
        }
    }

    /** Index of the first occurrence of {@code pattern}. */
    static int indexOf(byte[] zip, byte[] pattern) {
        for (int i = 0; i + pattern.length <= zip.length; i++) {
            if (java.util.Arrays.equals(zip, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }
}
