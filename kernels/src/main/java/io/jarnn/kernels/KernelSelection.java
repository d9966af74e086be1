package io.jarnn.kernels;

import java.util.Locale;

/**
 * Picks the {@link Kernels} implementation once per JVM. {@code -Djarnn.kernels=scalar|vector}
 * forces one (default: vector whenever the preferred species has at least 4 float lanes), and
 * the choice is visible through {@link Kernels#active()}{@code .name()} so that a benchmark can
 * print (and check) what it measures.
 */
final class KernelSelection {
    static final String PROPERTY = "jarnn.kernels";
    static final Kernels ACTIVE = choose(System.getProperty(PROPERTY, "auto"));

    private KernelSelection() {
    }

    private static Kernels choose(String requested) {
        Kernels chosen = switch (requested.toLowerCase(Locale.ROOT)) {
            case "scalar" -> ScalarKernels.INSTANCE;
            case "vector" -> VectorKernels.INSTANCE;
            case "auto", "" -> VectorLanes.FLOATS.length() >= 4 ? VectorKernels.INSTANCE : ScalarKernels.INSTANCE;
            default -> throw new IllegalArgumentException("-D" + PROPERTY
                    + ": expected scalar, vector or auto but got '" + requested + "'");
        };
        System.getLogger("io.jarnn.kernels").log(System.Logger.Level.DEBUG, "jarnn kernels: " + chosen.name());
        return chosen;
    }
}
