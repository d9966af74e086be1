package io.jarnn.spark;

import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * An {@link NdArray} as Spark moves it between executors and the driver: its shape and its
 * elements as one primitive array (float[] or double[]).
 */
record ArrayData(int[] shape, float[] floats, double[] doubles) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static ArrayData of(NdArray array) {
        return switch (array) {
            case Tensor t -> new ArrayData(t.shape(), Arrays.copyOfRange(t.array(), t.offset(), t.offset() + t.size()), null);
            case Tensor64 t -> new ArrayData(t.shape(), null,
                    Arrays.copyOfRange(t.array(), t.offset(), t.offset() + t.size()));
        };
    }

    NdArray array() {
        return floats != null ? Tensor.wrap(floats, shape) : Tensor64.wrap(doubles, shape);
    }
}
