package io.jarnn.core.npy;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Shapes;
import io.jarnn.core.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A float32 or float64 {@code .npy} array written a block of rows at a time, for arrays larger than memory
 * (10^8 samples of 100 sites are 40 GB): the header, which needs only the shape, goes first,
 * then the values in C order as they come. The bytes are exactly those {@link Npy#write} writes
 * for the whole array, so the file does not show how it was produced.
 *
 * <p>The precision is chosen at creation (float32 unless said otherwise) and every block must
 * have it: a writer never converts, so that a float64 result is not rounded by accident and a
 * float32 file does not silently double in size.
 *
 * <p>Memory: one 64 KiB conversion buffer, whatever the shape.
 */
public final class NpyStreamWriter {
    private final OutputStream out;
    private final DType dtype;
    private final int[] shape;
    private final long total;
    private final ByteBuffer scratch;
    private long written;

    /** {@link #NpyStreamWriter(OutputStream, DType, int...)} for a float32 array. */
    public NpyStreamWriter(OutputStream out, int... shape) throws IOException {
        this(out, DType.FLOAT32, shape);
    }

    /**
     * Writes the header of an array of {@code dtype} and {@code shape} to {@code out} (which it
     * does not close). Each dimension must be at least 1; the element count may exceed what one
     * {@link Tensor} holds.
     */
    public NpyStreamWriter(OutputStream out, DType dtype, int... shape) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        if (shape.length == 0) {
            throw new IllegalArgumentException("shape: expected at least one dimension but got ()");
        }
        long count = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("shape: expected dimensions >= 1 but got " + Shapes.format(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        this.shape = shape.clone();
        this.total = count;
        this.scratch = NpyWriter.scratch(count);
        out.write(NpyWriter.header(this.shape, dtype));
    }

    /**
     * Appends the values of {@code values} in C order (a block of rows of the array, say).
     *
     * @throws IllegalArgumentException naming {@code values} if its precision is not this
     *                                  writer's or it holds more values than remain
     */
    public void write(NdArray values) throws IOException {
        Objects.requireNonNull(values, "values");
        if (values.dtype() != dtype) {
            throw new IllegalArgumentException("values: expected a " + dtype + " block (this writer writes "
                    + dtype.npyDescr() + ") but got " + values.dtype() + " of shape " + Shapes.format(values.shape())
                    + "; convert it with to(" + dtype.name() + ") if that is intended");
        }
        if (values.size() > total - written) {
            throw new IllegalArgumentException("values: " + values.size() + " values but only " + (total - written)
                    + " of the " + Shapes.format(shape) + " array remain");
        }
        NpyWriter.writeData(out, values, scratch);
        written += values.size();
    }

    /** The precision of the array, and of every block written. */
    public DType dtype() {
        return dtype;
    }

    /** Values still to be written. */
    public long remaining() {
        return total - written;
    }

    /**
     * Checks that the whole array was written and flushes {@code out}.
     *
     * @throws IllegalStateException if values are missing: the file would be shorter than its header says
     */
    public void finish() throws IOException {
        if (written != total) {
            throw new IllegalStateException("wrote " + written + " of the " + total + " values of a "
                    + Shapes.format(shape) + " array");
        }
        out.flush();
    }
}
