package io.jarnn.properties;

import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.kernels.VectorKernels;

/** Both kernel implementations by a readable name (the kernels themselves print as class@hash). */
enum KernelChoice {
    SCALAR(ScalarKernels.INSTANCE), VECTOR(VectorKernels.INSTANCE);

    private final Kernels kernels;

    KernelChoice(Kernels kernels) {
        this.kernels = kernels;
    }

    Kernels kernels() {
        return kernels;
    }

    @Override
    public String toString() {
        return kernels.name();
    }
}
