package io.jarnn.core;

import java.util.Arrays;

/**
 * A small fixed-shape float32 tensor: contiguous row-major storage in a {@code float[]},
 * starting at {@link #offset()}. Its float64 twin is generated from this file at build time
 * (codegen/PrecisionTwins.java); see {@link NdArray} for code that takes either.
 *
 * <p>The shape is fixed and validated at construction. {@link #reshape} and {@link #slice}
 * return views that share storage; {@link #copy} does not. The element values are mutable
 * (a tensor is a carrier for kernels, which write into {@link #array()} directly), the shape
 * is not. Element {@code (i0, i1, ..., ik)} lives at
 * {@code array()[offset() + ((i0 * d1 + i1) * d2 + ...) ]}.
 */
public final class Tensor implements NdArray {
    /** Above this many elements {@link #toString()} prints only the shape and a few values. */
    private static final int PRINT_LIMIT = 256;

    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int size;

    private Tensor(float[] data, int offset, int[] shape, int size) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.size = size;
    }

    /** A new tensor of the given shape, filled with zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        int size = checkedSize("shape", s);
        return new Tensor(new float[size], 0, s, size);
    }

    /** A view of {@code data} (not a copy) with the given shape; sizes must match exactly. */
    public static Tensor wrap(float[] data, int... shape) {
        if (data == null) {
            throw new IllegalArgumentException("data: expected a float array but got null");
        }
        int[] s = shape.clone();
        int size = checkedSize("shape", s);
        if (size != data.length) {
            throw new IllegalArgumentException("data: expected " + size + " elements for shape "
                    + Shapes.format(s) + " but got an array of " + data.length);
        }
        return new Tensor(data, 0, s, size);
    }

    /** A tensor holding a copy of {@code data} with the given shape. */
    public static Tensor copyOf(float[] data, int... shape) {
        return wrap(data == null ? null : data.clone(), shape);
    }

    /** A copy of {@code values}, shape (values.length, values[0].length); rows must agree. */
    public static Tensor of(float[][] values) {
        if (values == null || values.length == 0 || values[0] == null) {
            throw new IllegalArgumentException("values: expected a non-empty float[][] but got "
                    + (values == null ? "null" : "an empty or null row"));
        }
        int cols = values[0].length;
        float[] data = new float[Math.multiplyExact(values.length, cols)];
        for (int r = 0; r < values.length; r++) {
            if (values[r] == null || values[r].length != cols) {
                throw new IllegalArgumentException("values: expected every row to have " + cols
                        + " elements but row " + r + " has "
                        + (values[r] == null ? "null" : values[r].length));
            }
            System.arraycopy(values[r], 0, data, r * cols, cols);
        }
        return wrap(data, values.length, cols);
    }

    private static int checkedSize(String name, int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException(name + ": expected at least one dimension but got ()");
        }
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(name + ": expected every dimension >= 1 but got "
                        + Shapes.format(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(name + ": " + Shapes.format(shape)
                        + " has more elements than a Java array can hold");
            }
        }
        return (int) size;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public double getDouble(int i) {
        return getFlat(i);
    }

    @Override
    public Tensor toSinglePrecision() { //f64: public Tensor toSinglePrecision() {
        return this; //f64: return PrecisionConversion.narrow(this);
    }

    @Override
    public Tensor64 toDoublePrecision() {
        return PrecisionConversion.widen(this); //f64: return this;
    }

    /** The backing array, shared with every view of this tensor. */
    public float[] array() {
        return data;
    }

    /** Index in {@link #array()} of element (0, ..., 0). */
    public int offset() {
        return offset;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Length of one axis. */
    public int dim(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis: expected 0.." + (shape.length - 1) + " but got " + axis);
        }
        return shape[axis];
    }

    @Override
    public int size() {
        return size;
    }

    /** True when this tensor has exactly the given shape. */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /**
     * Throws an {@link IllegalArgumentException} naming {@code argument} unless this tensor has
     * the expected shape. Returns this tensor for chaining.
     */
    public Tensor requireShape(String argument, int... expected) {
        if (!hasShape(expected)) {
            throw new IllegalArgumentException(argument + ": expected shape " + Shapes.format(expected)
                    + " but got " + Shapes.format(shape));
        }
        return this;
    }

    /**
     * As {@link #requireShape(String, int...)} for a matrix, without the varargs array: per-site
     * calls check their (batch, N) and (batch, localSize) arguments on every site.
     */
    public Tensor requireShape(String argument, int rows, int cols) {
        if (shape.length != 2 || shape[0] != rows || shape[1] != cols) {
            return requireShape(argument, new int[] {rows, cols});
        }
        return this;
    }

    /**
     * As {@link #requireShape(String, int...)} for a rank-3 tensor, without the varargs array: a
     * model's allocation-free full forward checks its (batch, N, localSize) output on every call.
     */
    public Tensor requireShape(String argument, int d0, int d1, int d2) {
        if (shape.length != 3 || shape[0] != d0 || shape[1] != d1 || shape[2] != d2) {
            return requireShape(argument, new int[] {d0, d1, d2});
        }
        return this;
    }

    /** Throws an {@link IllegalArgumentException} naming {@code argument} unless the rank matches. */
    public Tensor requireRank(String argument, int expectedRank) {
        if (shape.length != expectedRank) {
            throw new IllegalArgumentException(argument + ": expected a rank-" + expectedRank
                    + " tensor but got shape " + Shapes.format(shape));
        }
        return this;
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index: expected " + shape.length + " indices for shape "
                    + Shapes.format(shape) + " but got " + index.length);
        }
        int flat = 0;
        for (int a = 0; a < shape.length; a++) {
            if (index[a] < 0 || index[a] >= shape[a]) {
                throw new IllegalArgumentException("index: " + Arrays.toString(index) + " is outside shape "
                        + Shapes.format(shape) + " (axis " + a + ")");
            }
            flat = flat * shape[a] + index[a];
        }
        return offset + flat;
    }

    public float get(int... index) {
        return data[flatIndex(index)];
    }

    public void set(float value, int... index) {
        data[flatIndex(index)] = value;
    }

    /** Element at a flat row-major position 0 <= i < size(). */
    public float getFlat(int i) {
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("i: expected 0.." + (size - 1) + " but got " + i);
        }
        return data[offset + i];
    }

    /** A view with a new shape of the same size, sharing storage. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int newSize = checkedSize("newShape", s);
        if (newSize != size) {
            throw new IllegalArgumentException("newShape: expected " + size + " elements (from "
                    + Shapes.format(shape) + ") but " + Shapes.format(s) + " has " + newSize);
        }
        return new Tensor(data, offset, s, size);
    }

    /** A view of entries {@code from <= i < to} along axis 0, sharing storage. */
    public Tensor slice(int from, int to) {
        if (from < 0 || to > shape[0] || from >= to) {
            throw new IllegalArgumentException("from, to: expected 0 <= from < to <= " + shape[0]
                    + " but got from=" + from + ", to=" + to);
        }
        int[] s = shape.clone();
        s[0] = to - from;
        int inner = size / shape[0];
        return new Tensor(data, offset + from * inner, s, s[0] * inner);
    }

    /** Entry {@code i} along axis 0 as a view with one fewer dimension (rank >= 2). */
    public Tensor row(int i) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("row(i): expected a tensor of rank >= 2 but got shape "
                    + Shapes.format(shape));
        }
        Tensor row = slice(i, i + 1);
        return row.reshape(Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** A fresh contiguous copy of the elements, row-major. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** A deep copy that shares nothing with this tensor. */
    public Tensor copy() {
        return new Tensor(toArray(), 0, shape.clone(), size);
    }

    /** Copies {@code source} (same shape) into this tensor. */
    public void copyFrom(Tensor source) {
        source.requireShape("source", shape);
        System.arraycopy(source.data, source.offset, data, offset, size);
    }

    /** Largest |a - b| over all elements; NaN if either holds a NaN where the other does not. */
    public double maxAbsDifference(Tensor other) {
        other.requireShape("other", shape);
        double max = 0;
        for (int i = 0; i < size; i++) {
            float a = data[offset + i];
            float b = other.data[other.offset + i];
            if (Float.compare(a, b) == 0) {
                continue;
            }
            double d = Math.abs((double) a - b);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    /**
     * True when shapes agree and every pair of elements differs by at most
     * {@code tolerance * max(1, |a|, |b|)} (absolute near zero, relative for large values).
     * Equal infinities and NaN against NaN count as equal.
     */
    public boolean approxEquals(Tensor other, double tolerance) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            float a = data[offset + i];
            float b = other.data[other.offset + i];
            if (Float.compare(a, b) == 0) {
                continue;
            }
            double scale = Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
            if (!(Math.abs((double) a - b) <= tolerance * scale)) {
                return false;
            }
        }
        return true;
    }

    /** Bitwise equality of shape and elements (not overridden {@code equals}: tensors are mutable). */
    public boolean contentEquals(Tensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (Float.floatToIntBits(data[offset + i]) != Float.floatToIntBits(other.data[other.offset + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.format(shape));
        if (size > PRINT_LIMIT) {
            sb.append(" [");
            for (int i = 0; i < 6; i++) {
                sb.append(i == 0 ? "" : ", ").append(data[offset + i]);
            }
            return sb.append(", ...]").toString();
        }
        sb.append(' ');
        appendNested(sb, 0, 0);
        return sb.toString();
    }

    private int appendNested(StringBuilder sb, int axis, int flat) {
        sb.append('[');
        for (int i = 0; i < shape[axis]; i++) {
            if (i > 0) {
                sb.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1 + 7 + Shapes.format(shape).length()));
            }
            if (axis == shape.length - 1) {
                sb.append(String.format(java.util.Locale.ROOT, "%.6g", data[offset + flat++]));
            } else {
                flat = appendNested(sb, axis + 1, flat);
            }
        }
        sb.append(']');
        return flat;
    }
}
