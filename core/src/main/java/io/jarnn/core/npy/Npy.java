package io.jarnn.core.npy;

import io.jarnn.core.Tensor;
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
 * {@code |i1}, {@code |u1}, {@code <i2}, {@code <i4}, {@code <i8}, all converted to float32:
 * {@code <f8} rounds to nearest (magnitudes beyond float range become infinities); integers are
 * exact up to 2^24 in magnitude and round to nearest beyond. A scalar (shape {@code ()}) becomes
 * shape {@code (1,)}.
 * Anything else — big-endian or other dtypes, Fortran order, empty shapes, a bad magic or
 * version, a malformed header or one longer than 1 MiB, a shape of more than
 * {@link ReadLimits#maxElements()} elements, data shorter than the shape needs — is an
 * {@link NpyFormatException} naming the source.
 *
 * <h2>Writing</h2>
 * Exactly what {@code numpy.save} writes for a C-ordered float32 array of the tensor's shape:
 * version 1.0, descr {@code '<f4'}, data starting at a multiple of 64 bytes. Arrays larger than
 * memory are written a block at a time with {@link NpyStreamWriter}; files that belong together
 * are replaced together with {@link AtomicFileSet}.
 */
public final class Npy {
    private Npy() {
    }

    /** {@link #read(Path, ReadLimits)} with {@link ReadLimits#DEFAULT}. */
    public static Tensor read(Path path) throws IOException {
        return read(path, ReadLimits.DEFAULT);
    }

    /**
     * Reads a {@code .npy} file that holds exactly one array: trailing bytes after the data are
     * rejected, since NumPy never writes them and they mean the file is not what it claims.
     * Only {@link ReadLimits#maxElements()} applies to a single file.
     *
     * @throws NpyFormatException if the file is not a supported, well-formed {@code .npy} file
     */
    public static Tensor read(Path path, ReadLimits limits) throws IOException {
        Objects.requireNonNull(limits, "limits");
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        long knownLength = attributes.isRegularFile() ? attributes.size() : -1;
        try (InputStream in = Files.newInputStream(path)) {
            return NpyReader.read(in, path.toString(), knownLength, true, limits, NpyReader.ShapeCheck.ANY);
        }
    }

    /**
     * Reads one array from {@code in} and leaves the stream just after its data, so several
     * arrays written back to back (as repeated {@code numpy.save} calls on one file object do)
     * can be read in turn. Does not close {@code in}.
     *
     * @param source names the input in error messages, e.g. a file name
     */
    public static Tensor read(InputStream in, String source, ReadLimits limits) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(limits, "limits");
        return NpyReader.read(in, String.valueOf(source), -1, false, limits, NpyReader.ShapeCheck.ANY);
    }

    /**
     * Writes {@code tensor} to {@code path}, replacing it atomically: on failure (or if the JVM is
     * stopped while writing) any previous file is left untouched and no temporary file remains.
     */
    public static void write(Path path, Tensor tensor) throws IOException {
        Objects.requireNonNull(tensor, "tensor");
        AtomicFiles.write(path, out -> NpyWriter.write(out, tensor));
    }

    /** Writes {@code tensor} in {@code .npy} format to {@code out}; does not close it. */
    public static void write(OutputStream out, Tensor tensor) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(tensor, "tensor");
        NpyWriter.write(out, tensor);
    }
}
