package io.jarnn.core.npy;

import io.jarnn.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads one {@code .npy} array into a float32 {@link Tensor}.
 *
 * <p>Memory is committed only to data that exists: when the input's length is known (a regular
 * file, a stored zip entry) it is checked against the header before the array is allocated;
 * when it is not (a deflated entry, a stream) the array starts small and grows as data
 * arrives, so a header that declares gigabytes over a short input costs at most twice what
 * was actually read. Data is read in bounded chunks either way.
 */
final class NpyReader {
    /** Bytes per read; a multiple of every item size. */
    private static final int CHUNK_BYTES = 1 << 18;
    /** Elements allocated up front when the input length is unknown. */
    private static final int INITIAL_ELEMENTS = 1 << 16;

    private NpyReader() {
    }

    /**
     * Reads header and data from {@code in}.
     *
     * @param knownLength bytes {@code in} holds from here to its end, or -1 when unknown
     * @param requireEnd  whether bytes after the data are an error (checked by reading one byte
     *                    when the length is unknown); otherwise {@code in} is left just after the data
     * @param admit       called with the declared shape after the header, before any data is read
     */
    static Tensor read(InputStream in, String source, long knownLength, boolean requireEnd, ReadLimits limits,
                       ShapeCheck admit) throws IOException {
        NpyHeader header = NpyHeader.read(in, source, knownLength, limits);
        admit.check(header.tensorShape());
        long expectedLength = header.dataOffset() + header.dataBytes();
        if (knownLength >= 0 && knownLength < expectedLength) {
            throw truncated(header, source, knownLength - header.dataOffset());
        }
        if (requireEnd && knownLength > expectedLength) {
            throw new NpyFormatException(source, "expected " + expectedLength + " bytes (a " + header.dataOffset()
                    + "-byte header and " + header.describe() + ") but got " + knownLength + ": "
                    + (knownLength - expectedLength) + " unexpected bytes after the data");
        }
        float[] values = readData(in, header, source, knownLength >= 0);
        if (requireEnd && knownLength < 0 && in.read() >= 0) {
            throw new NpyFormatException(source, "expected the input to end after " + expectedLength
                    + " bytes (a " + header.dataOffset() + "-byte header and " + header.describe()
                    + ") but more bytes follow");
        }
        return Tensor.wrap(values, header.tensorShape());
    }

    /** A check of a declared shape before the data behind it is read. */
    @FunctionalInterface
    interface ShapeCheck {
        ShapeCheck ANY = shape -> {
        };

        void check(int[] shape) throws IOException;
    }

    private static float[] readData(InputStream in, NpyHeader header, String source, boolean lengthChecked)
            throws IOException {
        int n = (int) header.elementCount();
        int itemSize = header.dtype().itemSize();
        float[] values = new float[lengthChecked ? n : Math.min(n, INITIAL_ELEMENTS)];
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, header.dataBytes())];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        int filled = 0;
        while (filled < n) {
            int count = Math.min(n - filled, chunk.length / itemSize);
            int bytes = count * itemSize;
            int got = in.readNBytes(chunk, 0, bytes);
            if (got < bytes) {
                throw truncated(header, source, (long) filled * itemSize + got);
            }
            if (filled + count > values.length) {
                long grown = Math.max(2L * values.length, filled + count);
                values = Arrays.copyOf(values, (int) Math.min(n, grown));
            }
            buffer.clear();
            header.dtype().decode(buffer, values, filled, count);
            filled += count;
        }
        return values;
    }

    private static NpyFormatException truncated(NpyHeader header, String source, long present) {
        return new NpyFormatException(source, "truncated data: " + header.describe() + " needs "
                + header.dataBytes() + " bytes after the " + header.dataOffset() + "-byte header but only "
                + Math.max(0, present) + " are present");
    }
}
