package io.jarnn.core.npy;

import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Reads and writes single arrays in NumPy's {@code .npy} format
 * (<a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>).
 *
 * <h2>Reading</h2>
 * Format versions 1.0, 2.0 and 3.0; C order only; dtypes {@code <f4}, {@code <f8},
 * {@code |i1}, {@code |u1}, {@code <i2}, {@code <i4}, {@code <i8}. Each is read in one of three
 * precisions:
 * <ul>
 *   <li>as stored, {@link #readArray}: {@code <f8} becomes a {@link Tensor64} bit for bit,
 *       everything else a float32 {@link Tensor} ({@code <f4} bit for bit; integers exact up to
 *       2^24 in magnitude, rounded to nearest beyond);</li>
 *   <li>as float32, {@link #read}: as stored, with {@code <f8} rounded to nearest by the rule of
 *       {@link io.jarnn.core.PrecisionConversion#narrow}: a finite value beyond float range is an
 *       {@link NpyFormatException} naming the element, never a silent infinity;</li>
 *   <li>as float64, {@link #read64}: everything widened exactly (integers up to 2^53).</li>
 * </ul>
 * A scalar (shape {@code ()}) becomes shape {@code (1,)}.
 * Anything else — big-endian or other dtypes, Fortran order, empty shapes, a bad magic or
 * version, a malformed header or one longer than 1 MiB, a shape of more than
 * {@link ReadLimits#maxElements()} elements, data shorter than the shape needs — is an
 * {@link NpyFormatException} naming the source.
 *
 * <h2>Writing</h2>
 * Exactly what {@code numpy.save} writes for a C-ordered array of the array's shape and
 * precision: version 1.0, descr {@code '<f4'} for a {@link Tensor} or {@code '<f8'} for a
 * {@link Tensor64}, data starting at a multiple of 64 bytes. Nothing is converted. Arrays larger
 * than memory are written a block at a time with {@link NpyStreamWriter}; files that belong
 * together are replaced together with {@link AtomicFileSet}.
 */
public final class Npy {
    private Npy() {
    }

    /** {@link #read(Path, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static Tensor read(Path path) throws IOException {
        return read(path, ReadLimits.DEFAULT);
    }

    /**
     * Reads a {@code .npy} file that holds exactly one array, in float32: trailing bytes after
     * the data are rejected, since NumPy never writes them and they mean the file is not what it
     * claims. Only {@link ReadLimits#maxElements()} applies to a single file.
     *
     * @throws NpyFormatException if the file is not a supported, well-formed {@code .npy} file,
     *                            or holds a {@code <f8} value beyond float32 range
     */
    public static Tensor read(Path path, ReadLimits limits) throws IOException {
        return (Tensor) readFile(path, limits, NpyReader.Precision.FLOAT32);
    }

    /**
     * Reads one float32 array from {@code in} and leaves the stream just after its data, so
     * several arrays written back to back (as repeated {@code numpy.save} calls on one file object
     * do) can be read in turn. Does not close {@code in}.
     *
     * @param source names the input in error messages, e.g. a file name
     */
    public static Tensor read(InputStream in, String source, ReadLimits limits) throws IOException {
        return (Tensor) readStream(in, source, limits, NpyReader.Precision.FLOAT32);
    }

    /** {@link #readArray(Path, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static NdArray readArray(Path path) throws IOException {
        return readArray(path, ReadLimits.DEFAULT);
    }

    /**
     * As {@link #read(Path, ReadLimits)}, in the stored precision: a {@link Tensor64} for
     * {@code <f8}, a {@link Tensor} for everything else. Nothing is rounded.
     */
    public static NdArray readArray(Path path, ReadLimits limits) throws IOException {
        return readFile(path, limits, NpyReader.Precision.STORED);
    }

    /** As {@link #read(InputStream, String, ReadLimits)}, in the stored precision. */
    public static NdArray readArray(InputStream in, String source, ReadLimits limits) throws IOException {
        return readStream(in, source, limits, NpyReader.Precision.STORED);
    }

    /** {@link #read64(Path, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static Tensor64 read64(Path path) throws IOException {
        return read64(path, ReadLimits.DEFAULT);
    }

    /** As {@link #read(Path, ReadLimits)}, in float64: every supported dtype widens exactly. */
    public static Tensor64 read64(Path path, ReadLimits limits) throws IOException {
        return (Tensor64) readFile(path, limits, NpyReader.Precision.FLOAT64);
    }

    /** As {@link #read(InputStream, String, ReadLimits)}, in float64. */
    public static Tensor64 read64(InputStream in, String source, ReadLimits limits) throws IOException {
        return (Tensor64) readStream(in, source, limits, NpyReader.Precision.FLOAT64);
    }

    private static NdArray readFile(Path path, ReadLimits limits, NpyReader.Precision precision)
            throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(limits, "limits");
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        long knownLength = attributes.isRegularFile() ? attributes.size() : -1;
        try (InputStream in = Files.newInputStream(path)) {
            return NpyReader.read(in, path.toString(), knownLength, true, limits, precision,
                    NpyReader.ShapeCheck.ANY);
        }
    }

    private static NdArray readStream(InputStream in, String source, ReadLimits limits,
                                      NpyReader.Precision precision) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(limits, "limits");
        return NpyReader.read(in, String.valueOf(source), -1, false, limits, precision, NpyReader.ShapeCheck.ANY);
    }

    /**
     * Writes {@code array} in its own precision to {@code path}, replacing it atomically: on
     * failure (or if the JVM is stopped while writing) any previous file is left untouched and no
     * temporary file remains.
     */
    public static void write(Path path, NdArray array) throws IOException {
        Objects.requireNonNull(array, "array");
        AtomicFiles.write(path, out -> NpyWriter.write(out, array));
    }

    /** Writes {@code array} in {@code .npy} format, in its own precision, to {@code out}; does not close it. */
    public static void write(OutputStream out, NdArray array) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(array, "array");
        NpyWriter.write(out, array);
    }
}
