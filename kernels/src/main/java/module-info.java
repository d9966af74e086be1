/** jarnn kernels: Vector API kernels, masked layers, ARNN models and the exact sampler. */
module io.jarnn.kernels {
    requires transitive io.jarnn.core;
    requires jdk.incubator.vector;
    exports io.jarnn.kernels;
    exports io.jarnn.nn;
}
