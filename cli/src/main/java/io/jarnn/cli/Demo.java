package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The main job, in two parts. First the check that makes an ARNN an ARNN: the probabilities of a
 * dense and a conv1d model sum to one over all 1024 configurations of 10 spins. Then a ground
 * state search: variational Monte Carlo with exact samples and stochastic reconfiguration on the
 * critical transverse-field Ising chain (N = 20, J = h = 1, open), ending with the relative error
 * of the final model's energy against the exact free-fermion energy.
 */
final class Demo {
    /** The normalisation check's space: spin-1/2 on 10 sites (1024 configurations, enumerable). */
    static final int NORMALISATION_SITES = 10;
    static final long NORMALISATION_SEED = 1234;

    /**
     * What the ground-state part runs: the chain, the model, the optimiser, the samples; the
     * final energy is estimated from {@code finalSamples} fresh samples and compared with the
     * exact energy against {@code target}.
     */
    record Settings(int sites, InitCommand.Kind kind, int layers, int features, int kernelSize, int samples, int steps,
                    double learningRate, double diagShift, long seed, int finalSamples, int reportEvery, double target) {
        /**
         * The README's demo: relative error at most 1e-3 in under 30 s on 2 cores. A kernel of 7
         * over 3 layers sees the 18 sites before each one, enough for the critical chain's
         * correlations (with 3 the model stalls near 7e-4); 634 parameters keep SR's S cheap.
         */
        static final Settings DEFAULT = new Settings(20, InitCommand.Kind.CONV1D, 3, 8, 7, 1024, 60, 0.1, 0.01, 1, 8192,
                10, 1e-3);
    }

    private Demo() {
    }

    static void run(PrintStream out, PrintStream err, Settings settings) {
        long start = System.nanoTime();
        out.println("jarnn demo  (kernels: " + Kernels.active().name() + ", threads: "
                + Runtime.getRuntime().availableProcessors() + ", JDK " + Runtime.version() + ")");
        normalisation(out);
        groundState(out, err, settings, start);
    }

    private static void normalisation(PrintStream out) {
        HilbertSpace hilbert = HilbertSpace.spin(0.5, NORMALISATION_SITES);
        out.println();
        out.println("1. Normalisation: an autoregressive model's probabilities sum to one");
        ARNN dense = ARNNDense.builder(hilbert).layers(3).features(8).machinePow(2f).build(NORMALISATION_SEED);
        ARNN conv = ARNNConv1D.builder(hilbert).layers(3).features(8).kernelSize(3).dilation(2)
                .build(NORMALISATION_SEED);
        Tensor all = hilbert.allConfigurations();
        for (ARNN model : new ARNN[]{dense, conv}) {
            Tensor logPsi = model.logPsi(all);
            double total = 0;
            for (int r = 0; r < all.dim(0); r++) {
                total += Math.exp(model.machinePow() * logPsi.get(r));
            }
            out.printf(Locale.ROOT, "   %s%n     sum of p(sigma) over all %d configurations: %.7f%n", model, all.dim(0),
                    total);
        }
    }

    private static void groundState(PrintStream out, PrintStream err, Settings s, long start) {
        LatticeSpec lattice = new LatticeSpec(LatticeSpec.Kind.CHAIN, s.sites(), false);
        HamiltonianSpec.Ising ising = new HamiltonianSpec.Ising(1, 1);
        Physics.System system;
        try {
            system = Physics.System.of(ising, lattice);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // an Ising chain reads no file
        }
        out.println();
        out.println("2. Ground state of the critical transverse-field Ising chain, " + system.describe());
        io.jarnn.nn.ARNNConfig.Builder<?> builder = s.kind() == InitCommand.Kind.DENSE
                ? ARNNDense.builder(system.hilbert()) : ARNNConv1D.builder(system.hilbert()).kernelSize(s.kernelSize());
        AutoregressiveModel model = AutoregressiveModel.initialise(builder.layers(s.layers()).features(s.features())
                .dtype(DType.FLOAT64).config(), s.seed());
        TrainCommand.Settings training = new TrainCommand.Settings(s.samples(), s.steps(), TrainCommand.OptimizerKind.SR,
                s.learningRate(), s.diagShift(), s.seed());
        Physics.ExactEnergy exact = system.exact(0).orElseThrow();
        out.printf(Locale.ROOT, "   %s, float64%n   %s%n", model, training.describe());
        out.flush();
        AutoregressiveModel trained;
        try (TrainingProgress progress = new TrainingProgress(err, 0, s.steps(), System::nanoTime,
                ProgressBar.stderrIsTerminal())) {
            trained = system.train(model, null, training, null, 0, (step, e) -> {
                double rel = Math.abs(e.mean() - exact.value()) / Math.abs(exact.value());
                if (step % s.reportEvery() == 0) {
                    progress.endLine();
                    out.printf(Locale.ROOT, "   step %4d  E = %s  rel. error %.1e%n", step,
                            EnergyFormat.plusMinus(e.mean(), e.error()), rel);
                    out.flush();
                }
                progress.update(step, e.mean(), e.error(), rel);
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // no checkpoint: nothing is written
        }
        Physics.Estimate e = system.estimate(trained, s.finalSamples(), s.seed() + 1);
        double rel = Math.abs(e.mean() - exact.value()) / Math.abs(exact.value());
        out.printf(Locale.ROOT, "   final model: E = %s (%,d fresh samples)%n", EnergyFormat.plusMinus(e.mean(), e.error()),
                s.finalSamples());
        out.printf(Locale.ROOT, "   exact:       E = %.10f (%s)%n", exact.value(), exact.method());
        out.println();
        out.printf(Locale.ROOT, "relative error %.1e against the free-fermion energy (target %.0e): %s, %.1f s in all%n",
                rel, s.target(), rel <= s.target() ? "reached" : "NOT reached", (System.nanoTime() - start) / 1e9);
    }
}
