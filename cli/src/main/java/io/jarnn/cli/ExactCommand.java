package io.jarnn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code jarnn exact}: the exact ground-state energy, by the free-fermion closed form or Lanczos. */
@Command(name = "exact", description = {
        "the exact ground-state energy of a Hamiltonian on a lattice",
        "",
        """
        The transverse-field Ising chain (open or periodic) has a closed form (Jordan-Wigner \
        free fermions, any N); every other Hamiltonian is diagonalised by Lanczos on the whole \
        Hilbert space (or its sector), up to 2^22 = 4,194,304 states."""})
final class ExactCommand implements Callable<Integer> {
    @Mixin
    SystemOptions system;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    ExactCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws java.io.IOException {
        long start = System.nanoTime();
        Physics.System physics = Physics.of(spec, system);
        Physics.ExactEnergy exact = physics.exact(Physics.LANCZOS_LIMIT).orElseThrow(() -> new CommandFailure(
                "no exact energy for " + system.describe() + ": its Hilbert space has " + physics.dimensionText()
                        + " states, more than Lanczos here takes (" + Physics.LANCZOS_LIMIT_TEXT + ")"));
        int sites = system.lattice.sites();
        out.printf(Locale.ROOT, "exact ground-state energy of %s: %.12f (%.12f per site)%n", system.describe(),
                exact.value(), exact.value() / sites);
        out.printf(Locale.ROOT, "  %s, %.2f s%n", exact.method(), (System.nanoTime() - start) / 1e9);
        return Main.OK;
    }
}
