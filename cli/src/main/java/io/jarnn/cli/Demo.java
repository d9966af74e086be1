package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The main job: builds the embedded default models, prints conditionals of a few
 * configurations, their row sums and logPsi, the total probability over the whole space and
 * the time taken.
 */
final class Demo {
    /** Embedded default: spin-1/2 on 10 sites (1024 configurations, enumerable). */
    static final int SITES = 10;
    static final long SEED = 1234;

    private Demo() {
    }

    static void run(PrintStream out) {
        long start = System.nanoTime();
        HilbertSpace hilbert = HilbertSpace.spin(0.5, SITES);
        out.println("jarnn demo  (kernels: " + Kernels.active().name() + ", threads: "
                + Runtime.getRuntime().availableProcessors() + ", JDK " + Runtime.version() + ")");
        ARNN dense = ARNNDense.builder(hilbert).layers(3).features(8).machinePow(2f).build(SEED);
        ARNN conv = ARNNConv1D.builder(hilbert).layers(3).features(8).kernelSize(3).dilation(2).build(SEED);
        show(out, dense, hilbert);
        show(out, conv, hilbert);
        out.printf(Locale.ROOT, "%ntotal time: %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }

    private static void show(PrintStream out, ARNN model, HilbertSpace hilbert) {
        long t0 = System.nanoTime();
        out.println();
        out.println("== " + model);
        Tensor sigma = hilbert.randomConfigurations(3, SEED);
        Tensor cond = model.conditionals(sigma);
        Tensor logPsi = model.logPsi(sigma);
        int n = hilbert.size();
        int ls = hilbert.localSize();
        for (int b = 0; b < sigma.dim(0); b++) {
            out.print("sigma = [");
            for (int i = 0; i < n; i++) {
                out.printf(Locale.ROOT, "%s%+.0f", i == 0 ? "" : " ", sigma.get(b, i));
            }
            out.printf(Locale.ROOT, "]   logPsi = %.6f%n", logPsi.get(b));
            out.println("  site  p(local 0..)            row sum");
            for (int i = 0; i < n; i++) {
                StringBuilder row = new StringBuilder();
                double sum = 0;
                for (int k = 0; k < ls; k++) {
                    float p = cond.get(b, i, k);
                    sum += p;
                    row.append(String.format(Locale.ROOT, "%.6f ", p));
                }
                out.printf(Locale.ROOT, "  %4d  %-22s  %.7f%n", i, row, sum);
            }
        }
        Tensor all = hilbert.allConfigurations();
        Tensor allLogPsi = model.logPsi(all);
        double total = 0;
        for (int r = 0; r < all.dim(0); r++) {
            total += Math.exp(model.machinePow() * allLogPsi.get(r));
        }
        out.printf(Locale.ROOT, "sum of p(sigma) over all %d configurations: %.7f   (%.1f ms)%n",
                all.dim(0), total, (System.nanoTime() - t0) / 1e6);
    }
}
