package io.jarnn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code jarnn demo} (also {@code jarnn} alone): the built-in demo, {@link Demo}. */
@Command(name = "demo", description = {
        "the built-in demo (the default with no command)",
        "",
        """
        First checks that the probabilities of a dense and a conv1d model on 10 spins sum to one \
        over all 1024 configurations. Then searches the ground state of the critical \
        transverse-field Ising chain (ising:J=1,h=1 on chain:20:open) by variational Monte Carlo: \
        an ARNNConv1D in float64, exact samples, stochastic reconfiguration; and compares the \
        final model's energy with the exact free-fermion energy (target: relative error 1e-3, \
        in under 30 s on 2 cores). The same run, with its files:""",
        "  jarnn train --hamiltonian ising:J=1,h=1 --lattice chain:20:open --kind conv1d --layers 3",
        "        --features 8 --kernel-size 7 --samples 1024 --steps 60 --optimizer sr --lr 0.1",
        "        --diag-shift 0.01 --seed 1 --out model.npz --log train.csv --plot energy.png"})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    private final PrintStream out;
    private final PrintStream err;
    private final Demo.Settings settings;

    DemoCommand(PrintStream out, PrintStream err, Demo.Settings settings) {
        this.out = out;
        this.err = err;
        this.settings = settings;
    }

    @Override
    public Integer call() {
        Demo.run(out, err, settings);
        return Main.OK;
    }
}
