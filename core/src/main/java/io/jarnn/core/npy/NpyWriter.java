package io.jarnn.core.npy;

import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Writes a {@link Tensor} as the bytes {@code numpy.save} writes for a C-ordered float32 array:
 * format 1.0 (2.0 only if the header exceeds 65535 bytes), descr {@code '<f4'}, keys in sorted
 * order, NumPy's spare room for growing axis 0 in place, and spaces plus a final newline so that
 * the data starts at a multiple of 64 bytes.
 */
final class NpyWriter {
    /** NumPy's ARRAY_ALIGN. */
    static final int ALIGNMENT = 64;
    /** NumPy's GROWTH_AXIS_MAX_DIGITS: header space reserved so axis 0 can grow to any uint64. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int CHUNK_FLOATS = 1 << 14;

    private NpyWriter() {
    }

    /** Magic, version, header length, header dict, padding and newline for a float32 array. */
    static byte[] header(int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(Shapes.format(shape)).append(", }");
        dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length())));
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int withNewline = text.length + 1;
        int version = 1;
        int prefix = 10;
        // NumPy pads by ALIGNMENT - (length % ALIGNMENT): a full 64 spaces when already aligned.
        int padding = ALIGNMENT - (prefix + withNewline) % ALIGNMENT;
        if (withNewline + padding > 0xFFFF) {
            version = 2;
            prefix = 12;
            padding = ALIGNMENT - (prefix + withNewline) % ALIGNMENT;
        }
        int headerLength = withNewline + padding;
        ByteBuffer out = ByteBuffer.allocate(prefix + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.put(NpyHeader.MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(text);
        while (out.remaining() > 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /** Total bytes {@link #write} produces for {@code tensor}. */
    static long encodedLength(Tensor tensor) {
        return header(tensor.shape()).length + 4L * tensor.size();
    }

    /** CRC-32 of the bytes {@link #write} produces, as a stored zip entry needs it up front. */
    static long crc32(Tensor tensor) throws IOException {
        CheckedOutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), new CRC32());
        write(sink, tensor);
        return sink.getChecksum().getValue();
    }

    /** Writes header and data; does not close {@code out}. */
    static void write(OutputStream out, Tensor tensor) throws IOException {
        out.write(header(tensor.shape()));
        writeData(out, tensor.array(), tensor.offset(), tensor.size(), scratch(tensor.size()));
    }

    /** A buffer for {@link #writeData} of up to {@code floats} values at a time. */
    static ByteBuffer scratch(long floats) {
        return ByteBuffer.allocate(4 * (int) Math.max(1, Math.min(floats, CHUNK_FLOATS))).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes {@code data[offset .. offset + size)} as little-endian float32 through {@code bytes}. */
    static void writeData(OutputStream out, float[] data, int offset, int size, ByteBuffer bytes) throws IOException {
        FloatBuffer floats = bytes.asFloatBuffer();
        int perWrite = floats.capacity();
        for (int done = 0; done < size; ) {
            int count = Math.min(size - done, perWrite);
            floats.clear();
            floats.put(data, offset + done, count);
            out.write(bytes.array(), 0, 4 * count);
            done += count;
        }
    }
}
