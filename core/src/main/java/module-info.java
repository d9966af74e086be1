/** jarnn core: the fixed-shape tensor, Hilbert spaces and parameter files. No Vector API. */
module io.jarnn.core {
    exports io.jarnn.core;
    exports io.jarnn.core.npy;
}
