package io.jarnn.cli;

import io.jarnn.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code jarnn} itself: the parent of the subcommands, running the demo when none is given. */
@Command(name = "jarnn", versionProvider = JarnnCommand.VersionProvider.class,
        customSynopsis = "jarnn COMMAND [ARGS]      (no command: demo)",
        footer = {
                "Files are NumPy .npy/.npz. Configurations hold local state VALUES (+1/-1 for spin-1/2,",
                "0..n_max for Fock). Exit status: 0 ok, 1 failure while running, 2 bad command line."})
final class JarnnCommand implements Callable<Integer> {
    /** The first line of {@code jarnn --help}. */
    static String header() {
        return "jarnn " + Version.get() + ": NetKet's autoregressive networks (ARNNDense, ARNNConv1D) on the JDK "
                + "Vector API";
    }

    @Option(names = "--version", versionHelp = true, description = "print the version")
    boolean version;

    @Mixin
    CommonOptions common;

    private final PrintStream out;
    private final PrintStream err;
    private final Demo.Settings demo;

    JarnnCommand(PrintStream out, PrintStream err, Demo.Settings demo) {
        this.out = out;
        this.err = err;
        this.demo = demo;
    }

    @Override
    public Integer call() {
        Demo.run(out, err, demo);
        return Main.OK;
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"jarnn " + Version.get() + " (JDK " + Runtime.version() + ", kernels: "
                    + Kernels.active().name() + ")"};
        }
    }
}
