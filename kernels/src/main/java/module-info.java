/**
 * jarnn kernels: the {@link io.jarnn.kernels.Kernels} interface, its scalar reference and its
 * Vector API implementation, the vector math they share, and the choice between them; in float32
 * and, generated from those sources, in float64 ({@code Kernels64} and its implementations).
 * Plain float or double arrays in and out: no tensors, layers or models (those are
 * {@code io.jarnn.nn}'s).
 */
module io.jarnn.kernels {
    requires jdk.incubator.vector;
    exports io.jarnn.kernels;
}
