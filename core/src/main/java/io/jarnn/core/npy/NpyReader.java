package io.jarnn.core.npy;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads one {@code .npy} array into an {@link NdArray} of the precision a {@link Precision}
 * picks: the stored one, or float32 or float64 whatever is stored.
 *
 * <p>Memory is committed only to data that exists: when the input's length is known (a regular
 * file, a stored zip entry) it is checked against the header before the array is allocated;
 * when it is not (a deflated entry, a stream) the array starts small and grows as data
 * arrives, so a header that declares gigabytes over a short input costs at most twice the bytes
 * of the elements actually read (8 per float64 element, 4 per float32 one). Data is read in
 * bounded chunks either way, and converted chunk by chunk: a {@code <f8} file read as float32
 * never holds a float64 copy of the whole array.
 */
final class NpyReader {
    /** Bytes per read; a multiple of every item size. */
    private static final int CHUNK_BYTES = 1 << 18;
    /** Bytes of array allocated up front when the input length is unknown. */
    private static final int INITIAL_BYTES = 1 << 18;

    private NpyReader() {
    }

    /** The precision an array is read into. */
    enum Precision {
        /** As stored: float64 for {@code <f8}, float32 for everything else. */
        STORED,
        /** float32 whatever is stored; {@code <f8} narrowed, refusing finite overflow. */
        FLOAT32,
        /** float64 whatever is stored, widened exactly. */
        FLOAT64;

        DType of(NpyDtype stored) {
            return switch (this) {
                case STORED -> stored.storedPrecision();
                case FLOAT32 -> DType.FLOAT32;
                case FLOAT64 -> DType.FLOAT64;
            };
        }
    }

    /** A check of a declared shape, and the precision it will be held in, before its data is read. */
    @FunctionalInterface
    interface ShapeCheck {
        ShapeCheck ANY = (shape, dtype) -> {
        };

        void check(int[] shape, DType dtype) throws IOException;
    }

    /**
     * Reads header and data from {@code in}.
     *
     * @param knownLength bytes {@code in} holds from here to its end, or -1 when unknown
     * @param requireEnd  whether bytes after the data are an error (checked by reading one byte
     *                    when the length is unknown); otherwise {@code in} is left just after the data
     * @param admit       called with the declared shape after the header, before any data is read
     * @throws NpyFormatException also for a {@code <f8} element beyond float range read as float32
     */
    static NdArray read(InputStream in, String source, long knownLength, boolean requireEnd, ReadLimits limits,
                        Precision precision, ShapeCheck admit) throws IOException {
        NpyHeader header = NpyHeader.read(in, source, knownLength, limits);
        DType dtype = precision.of(header.dtype());
        admit.check(header.tensorShape(), dtype);
        long expectedLength = header.dataOffset() + header.dataBytes();
        if (knownLength >= 0 && knownLength < expectedLength) {
            throw truncated(header, source, knownLength - header.dataOffset());
        }
        if (requireEnd && knownLength > expectedLength) {
            throw new NpyFormatException(source, "expected " + expectedLength + " bytes (a " + header.dataOffset()
                    + "-byte header and " + header.describe() + ") but got " + knownLength + ": "
                    + (knownLength - expectedLength) + " unexpected bytes after the data");
        }
        Sink sink = dtype == DType.FLOAT64 ? new DoubleSink() : new FloatSink(header, source);
        readData(in, header, source, knownLength >= 0, sink);
        if (requireEnd && knownLength < 0 && in.read() >= 0) {
            throw new NpyFormatException(source, "expected the input to end after " + expectedLength
                    + " bytes (a " + header.dataOffset() + "-byte header and " + header.describe()
                    + ") but more bytes follow");
        }
        return sink.array(header.tensorShape());
    }

    private static void readData(InputStream in, NpyHeader header, String source, boolean lengthChecked, Sink sink)
            throws IOException {
        int n = (int) header.elementCount();
        int itemSize = header.dtype().itemSize();
        sink.allocate(lengthChecked ? n : Math.min(n, INITIAL_BYTES / sink.elementBytes()));
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
            if (filled + count > sink.capacity()) {
                long grown = Math.max(2L * sink.capacity(), filled + count);
                sink.grow((int) Math.min(n, grown));
            }
            buffer.clear();
            sink.decode(header.dtype(), buffer, filled, count);
            filled += count;
        }
    }

    /** The growing array that data is decoded into, in one precision. */
    private interface Sink {
        int elementBytes();

        void allocate(int length);

        int capacity();

        void grow(int length);

        void decode(NpyDtype stored, ByteBuffer bytes, int offset, int count) throws NpyFormatException;

        NdArray array(int[] shape);
    }

    private static final class FloatSink implements Sink {
        private final NpyHeader header;
        private final String source;
        private float[] values;

        FloatSink(NpyHeader header, String source) {
            this.header = header;
            this.source = source;
        }

        @Override
        public int elementBytes() {
            return Float.BYTES;
        }

        @Override
        public void allocate(int length) {
            values = new float[length];
        }

        @Override
        public int capacity() {
            return values.length;
        }

        @Override
        public void grow(int length) {
            values = Arrays.copyOf(values, length);
        }

        @Override
        public void decode(NpyDtype stored, ByteBuffer bytes, int offset, int count) throws NpyFormatException {
            stored.decode(bytes, values, offset, count, this::overflow);
        }

        private void overflow(int index, double value) throws NpyFormatException {
            throw new NpyFormatException(source, "element " + index + " (index " + Shapes.format(indexOf(index))
                    + ") of " + header.describe() + " is " + value + ", beyond float32 range (|x| <= "
                    + Float.MAX_VALUE + "); expected values that fit float32 when reading as float32"
                    + " (read it in its stored precision with Npy.readArray or NpzArchive.array)");
        }

        /** The index of flat position {@code flat} in the declared shape. */
        private int[] indexOf(int flat) {
            int[] shape = header.tensorShape();
            int[] index = new int[shape.length];
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                index[axis] = flat % shape[axis];
                flat /= shape[axis];
            }
            return index;
        }

        @Override
        public NdArray array(int[] shape) {
            return Tensor.wrap(values, shape);
        }
    }

    private static final class DoubleSink implements Sink {
        private double[] values;

        @Override
        public int elementBytes() {
            return Double.BYTES;
        }

        @Override
        public void allocate(int length) {
            values = new double[length];
        }

        @Override
        public int capacity() {
            return values.length;
        }

        @Override
        public void grow(int length) {
            values = Arrays.copyOf(values, length);
        }

        @Override
        public void decode(NpyDtype stored, ByteBuffer bytes, int offset, int count) {
            stored.decode(bytes, values, offset, count);
        }

        @Override
        public NdArray array(int[] shape) {
            return Tensor64.wrap(values, shape);
        }
    }

    private static NpyFormatException truncated(NpyHeader header, String source, long present) {
        return new NpyFormatException(source, "truncated data: " + header.describe() + " needs "
                + header.dataBytes() + " bytes after the " + header.dataOffset() + "-byte header but only "
                + Math.max(0, present) + " are present");
    }
}
