package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;

import java.io.Serial;
import java.io.Serializable;

/**
 * One Spark partition's samples: rows {@code firstRow .. firstRow + rows - 1} of the seed's
 * sequence, their configurations (rows, sites) and log-probabilities (rows,), in the model's
 * dtype. The arrays are held as plain Java arrays, row-major, so that Spark's serialiser moves
 * them as two primitive arrays.
 */
public final class SampleBlock implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final long firstRow;
    private final int rows;
    private final int sites;
    private final DType dtype;
    /** float[] or double[] of rows * sites. */
    private final Object configurations;
    /** float[] or double[] of rows. */
    private final Object logProbabilities;

    private SampleBlock(long firstRow, int rows, int sites, DType dtype, Object configurations,
                        Object logProbabilities) {
        this.firstRow = firstRow;
        this.rows = rows;
        this.sites = sites;
        this.dtype = dtype;
        this.configurations = configurations;
        this.logProbabilities = logProbabilities;
    }

    /** A block holding these arrays (not copied): configurations (rows, sites), log-probabilities (rows,). */
    static SampleBlock of(long firstRow, NdArray configurations, NdArray logProbabilities) {
        int[] shape = configurations.shape();
        return switch (configurations) {
            case Tensor c -> new SampleBlock(firstRow, shape[0], shape[1], DType.FLOAT32, dense(c),
                    dense((Tensor) logProbabilities));
            case Tensor64 c -> new SampleBlock(firstRow, shape[0], shape[1], DType.FLOAT64, dense(c),
                    dense((Tensor64) logProbabilities));
        };
    }

    private static float[] dense(Tensor t) {
        return t.offset() == 0 && t.array().length == t.size() ? t.array()
                : java.util.Arrays.copyOfRange(t.array(), t.offset(), t.offset() + t.size());
    }

    private static double[] dense(Tensor64 t) {
        return t.offset() == 0 && t.array().length == t.size() ? t.array()
                : java.util.Arrays.copyOfRange(t.array(), t.offset(), t.offset() + t.size());
    }

    public long firstRow() {
        return firstRow;
    }

    public int rows() {
        return rows;
    }

    public int sites() {
        return sites;
    }

    public DType dtype() {
        return dtype;
    }

    /** The configurations, (rows, sites), in {@link #dtype()} (a view of this block's array). */
    public NdArray configurations() {
        return switch (dtype) {
            case FLOAT32 -> Tensor.wrap((float[]) configurations, rows, sites);
            case FLOAT64 -> Tensor64.wrap((double[]) configurations, rows, sites);
        };
    }

    /** The log-probabilities, (rows,), in {@link #dtype()} (a view of this block's array). */
    public NdArray logProbabilities() {
        return switch (dtype) {
            case FLOAT32 -> Tensor.wrap((float[]) logProbabilities, rows);
            case FLOAT64 -> Tensor64.wrap((double[]) logProbabilities, rows);
        };
    }

    /** Row {@code r}'s configuration as a fresh float[] or double[] (for a Dataset row). */
    Object configuration(int r) {
        return switch (dtype) {
            case FLOAT32 -> java.util.Arrays.copyOfRange((float[]) configurations, r * sites, (r + 1) * sites);
            case FLOAT64 -> java.util.Arrays.copyOfRange((double[]) configurations, r * sites, (r + 1) * sites);
        };
    }

    /** Row {@code r}'s log-probability as a Float or Double (for a Dataset row). */
    Object logProbability(int r) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) logProbabilities)[r];
            case FLOAT64 -> ((double[]) logProbabilities)[r];
        };
    }
}
