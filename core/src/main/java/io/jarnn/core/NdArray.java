package io.jarnn.core;

/**
 * A fixed-shape array of either precision: {@link Tensor} (float32) or its generated float64
 * twin {@link Tensor64}. Code that only moves arrays around (files, the command line) works
 * with this; code that computes takes the concrete type of its precision.
 */
public sealed interface NdArray permits Tensor, Tensor64 {

    /** {@link DType#FLOAT32} for a {@link Tensor}, {@link DType#FLOAT64} for a {@link Tensor64}. */
    DType dtype();

    /** A copy of the shape. */
    int[] shape();

    /** Total number of elements. */
    int size();

    /** Element at a flat row-major position, widened to double (exactly, in either precision). */
    double getDouble(int i);

    /** This array in float32: itself if it is one, else a rounded copy (see {@link PrecisionConversion#narrow}). */
    Tensor toSinglePrecision();

    /** This array in float64: itself if it is one, else an exact widened copy. */
    Tensor64 toDoublePrecision();

    /** This array in {@code dtype}: {@link #toSinglePrecision()} or {@link #toDoublePrecision()}. */
    default NdArray to(DType dtype) {
        return dtype == DType.FLOAT32 ? toSinglePrecision() : toDoublePrecision();
    }
}
