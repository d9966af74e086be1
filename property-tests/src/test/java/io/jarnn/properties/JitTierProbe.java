package io.jarnn.properties;

import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.VectorKernels;

import java.util.SplittableRandom;

/**
 * Run in a fresh JVM with {@code -Xbatch} by {@link ReproducibilityProperties}: computes each
 * vector kernel on fixed data on its very first call, when the interpreter runs it and the
 * Vector API computes every lane in Java, then again after enough calls for C2 to have compiled
 * it ({@code -Xbatch} makes compilation synchronous, so the count suffices) and replaced those
 * operations by intrinsics. Prints one line per kernel, {@code <differing count>|<description>}.
 */
public final class JitTierProbe {
    /** Comfortably above C2's thresholds (Tier4InvocationThreshold 5000, Tier4CompileThreshold 15000). */
    static final int WARM_UP_CALLS = 25_000;
    static final int ROWS = 1024;
    static final int COLS = 3;
    static final float MACHINE_POW = 2f;

    private JitTierProbe() {
    }

    @FunctionalInterface
    private interface Kernel {
        void run(float[] x, float[] out);
    }

    public static void main(String[] args) {
        Kernels k = VectorKernels.INSTANCE;
        int n = ROWS * COLS;
        float[] x = new float[n];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-6, 6);
        }
        probe("logNormalizeRows", x, (in, out) -> k.logNormalizeRows(in, 0, out, 0, ROWS, COLS, MACHINE_POW));
        probe("probabilityRows", x, (in, out) -> k.probabilityRows(in, 0, out, 0, ROWS, COLS, MACHINE_POW));
        probe("selu", x, (in, out) -> k.selu(in, 0, out, 0, n));
    }

    private static void probe(String name, float[] x, Kernel kernel) {
        float[] first = new float[x.length];
        kernel.run(x, first);
        float[] scratch = new float[x.length];
        for (int call = 0; call < WARM_UP_CALLS; call++) {
            kernel.run(x, scratch);
        }
        float[] later = new float[x.length];
        kernel.run(x, later);
        int differing = 0;
        int index = -1;
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToIntBits(first[i]) != Float.floatToIntBits(later[i])) {
                differing++;
                index = index < 0 ? i : index;
            }
        }
        System.out.println(differing + "|" + name + ": " + differing + " of " + x.length + " values differ"
                + (index < 0 ? "" : "; first at [" + index + "] (x = " + x[index] + "): first call " + first[index]
                + ", after compilation " + later[index]));
    }
}
