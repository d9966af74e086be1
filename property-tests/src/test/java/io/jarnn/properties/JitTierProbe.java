package io.jarnn.properties;

import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.PlanarPanels;
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
    static final int TAPS = 2;
    static final int TAPS_OUT = 37;
    static final int TAPS_ROWS = 64;

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
        // Every kernel of the interface (ReproducibilityProperties checks the names against it),
        // among them the three the sampler runs: accumulateTaps, selu and probabilityColumns.
        probe("logNormalizeRows", x, (in, out) -> k.logNormalizeRows(in, 0, out, 0, ROWS, COLS, MACHINE_POW));
        // The per-site layout: COLS local states by ROWS samples.
        probe("probabilityColumns", x, (in, out) -> k.probabilityColumns(in, 0, out, 0, COLS, ROWS, MACHINE_POW));
        // The planar layout of a convolutional model's full forward: COLS local states by ROWS positions.
        probe("logNormalizeColumns", x, (in, out) -> k.logNormalizeColumns(in, 0, ROWS, out, 0, ROWS, COLS, ROWS,
                MACHINE_POW));
        probe("selu", x, (in, out) -> k.selu(in, 0, out, 0, n));
        // A two-tap convolution over x (windows one row apart), TAPS_OUT columns: two whole
        // 16-lane vectors and a tail, so every column path is compiled. y accumulates, so every
        // probed call starts from a fresh zero array.
        float[] w = new float[TAPS * COLS * TAPS_OUT];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextDouble(-1, 1);
        }
        probe("accumulateTaps", x, (in, out) -> k.accumulateTaps(in, 0, COLS, COLS, TAPS, COLS, w, 0, COLS * TAPS_OUT,
                TAPS_OUT, out, 0, TAPS_OUT, TAPS_ROWS, TAPS_OUT));
        // The planar forward's first layer (one input, two taps one position apart) and a wider
        // reduction (COLS inputs: the tiles' path), over ROWS * COLS - 1 positions: both paths,
        // vector loops and scalar tails. Each writes all of y, so the fresh arrays do not matter.
        float[] bias = new float[TAPS_OUT];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextDouble(-1, 1);
        }
        int positions = (n - COLS) / TAPS_OUT;
        float[] firstLayerPanels = PlanarPanels.pack(w, 0, TAPS, TAPS, 1, TAPS_OUT);
        float[] widePanels = PlanarPanels.pack(w, 0, TAPS * COLS, TAPS, COLS, 1);
        probe("convolveFromBias", x, (in, out) -> {
            k.convolveFromBias(w, 0, TAPS, firstLayerPanels, TAPS, 1, bias, 0, in, 0, positions, 1, out, 0, positions,
                    TAPS_OUT, positions);
            k.convolveFromBias(w, 0, TAPS * COLS, widePanels, TAPS, COLS, bias, 0, in, 0, 1, COLS, out, 0, positions,
                    1, positions);
        });
    }

    private static void probe(String name, float[] x, Kernel kernel) {
        float[] first = new float[x.length];
        kernel.run(x, first);
        for (int call = 0; call < WARM_UP_CALLS; call++) {
            kernel.run(x, new float[x.length]);
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
