package io.jarnn.core.npy;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Writes an {@link NdArray} as the bytes {@code numpy.save} writes for a C-ordered array of its
 * precision: format 1.0 (2.0 only if the header exceeds 65535 bytes), descr {@code '<f4'} or
 * {@code '<f8'}, keys in sorted order, NumPy's spare room for growing axis 0 in place, and
 * spaces plus a final newline so that the data starts at a multiple of 64 bytes.
 */
final class NpyWriter {
    /** NumPy's ARRAY_ALIGN. */
    static final int ALIGNMENT = 64;
    /** NumPy's GROWTH_AXIS_MAX_DIGITS: header space reserved so axis 0 can grow to any uint64. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Bytes converted per write. */
    private static final int CHUNK_BYTES = 1 << 16;

    private NpyWriter() {
    }

    /** Magic, version, header length, header dict, padding and newline for an array of {@code dtype}. */
    static byte[] header(int[] shape, DType dtype) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(dtype.npyDescr())
                .append("', 'fortran_order': False, 'shape': ").append(Shapes.format(shape)).append(", }");
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

    /** Total bytes {@link #write} produces for {@code array}. */
    static long encodedLength(NdArray array) {
        return header(array.shape(), array.dtype()).length + (long) array.dtype().bytes() * array.size();
    }

    /** CRC-32 of the bytes {@link #write} produces, as a stored zip entry needs it up front. */
    static long crc32(NdArray array) throws IOException {
        CheckedOutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), new CRC32());
        write(sink, array);
        return sink.getChecksum().getValue();
    }

    /** Writes header and data; does not close {@code out}. */
    static void write(OutputStream out, NdArray array) throws IOException {
        out.write(header(array.shape(), array.dtype()));
        writeData(out, array, scratch(array.size()));
    }

    /** A buffer for {@link #writeData} of an array of {@code elements} values of either precision. */
    static ByteBuffer scratch(long elements) {
        long bytes = Math.max(Double.BYTES, Math.min(Double.BYTES * elements, CHUNK_BYTES));
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes the elements of {@code array} in its precision, little-endian, through {@code bytes}. */
    static void writeData(OutputStream out, NdArray array, ByteBuffer bytes) throws IOException {
        switch (array) {
            case Tensor t -> writeData(out, t.array(), t.offset(), t.size(), bytes);
            case Tensor64 t -> writeData(out, t.array(), t.offset(), t.size(), bytes);
        }
    }

    private static void writeData(OutputStream out, float[] data, int offset, int size, ByteBuffer bytes)
            throws IOException {
        FloatBuffer floats = bytes.asFloatBuffer();
        int perWrite = floats.capacity();
        for (int done = 0; done < size; ) {
            int count = Math.min(size - done, perWrite);
            floats.clear();
            floats.put(data, offset + done, count);
            out.write(bytes.array(), 0, Float.BYTES * count);
            done += count;
        }
    }

    private static void writeData(OutputStream out, double[] data, int offset, int size, ByteBuffer bytes)
            throws IOException {
        DoubleBuffer doubles = bytes.asDoubleBuffer();
        int perWrite = doubles.capacity();
        for (int done = 0; done < size; ) {
            int count = Math.min(size - done, perWrite);
            doubles.clear();
            doubles.put(data, offset + done, count);
            out.write(bytes.array(), 0, Double.BYTES * count);
            done += count;
        }
    }
}
