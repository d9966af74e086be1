/** jarnn kernels: Vector API kernels, masked layers, ARNN models, the exact sampler and model files. */
module io.jarnn.kernels {
    requires transitive io.jarnn.core;
    requires jdk.incubator.vector;
    exports io.jarnn.kernels;
    exports io.jarnn.nn;
    exports io.jarnn.io;
}
