/**
 * jarnn nn: masked layers and their specifications, the ARNN models, per-site caches, the exact
 * sampler and model files. Computes through {@code io.jarnn.kernels}; a training module sits on
 * top of this one.
 */
module io.jarnn.nn {
    requires transitive io.jarnn.core;
    requires transitive io.jarnn.kernels;
    exports io.jarnn.nn;
    exports io.jarnn.io;
}
