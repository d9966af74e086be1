package io.jarnn.cli;

import io.jarnn.core.npy.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@code jarnn} reads a command line, through the real commands: value forms, typed values,
 * missing, unknown and repeated options, switches, {@code --}, help and {@code --debug}. Every
 * error is one {@code jarnn: } line naming the option, what was expected and what came, then a
 * pointer to the command's help.
 */
class CommandLineParsingTest {
    @TempDir
    Path dir;

    private String model() throws IOException {
        return ModelFixtures.save(dir, "model.npz", ModelFixtures.conv()).toString();
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void valuesMayBeSeparateOrJoinedAndNegativeNumbersAreValues() throws IOException {
        String m = model();
        Cli r = Cli.run("sample", m, "--samples=5", "--seed", "-7", "--out=" + file("a.npy")).assertOk();
        assertEquals("wrote " + file("a.npy") + ": float32 (5, 8), seed -7\n", r.out());
        Cli.run("sample", "--seed=-7", "--out", file("b.npy"), m, "--samples", "5").assertOk();
        assertArrayEquals(Npy.read(dir.resolve("a.npy")).shape(), Npy.read(dir.resolve("b.npy")).shape());
        assertTrue(Npy.read(dir.resolve("a.npy")).contentEquals(Npy.read(dir.resolve("b.npy"))),
                "the same seed in either form gives the same samples");
    }

    @Test
    void badNumbersNameTheOptionWhatWasExpectedAndWhatCame() throws IOException {
        String m = model();
        Cli.run("summary", m, "--batch", "x").assertFails(Main.USAGE,
                "--batch: expected an integer 1..2147483647 but got 'x' (see jarnn summary --help)");
        for (String bad : new String[]{"0", "-3", "1e3", "99999999999", "1000000000000", "2147483648", "0x10", " "}) {
            Cli.run("sample", m, "--samples", bad, "--out", file("s.npy")).assertFails(Main.USAGE,
                    "--samples: expected an integer 1..2147483647 but got '" + bad + "'");
        }
        Cli.run("sample", m, "--samples", "3", "--seed", "0x10", "--out", file("s.npy")).assertFails(Main.USAGE,
                "--seed: expected an integer (64-bit) but got '0x10'");
        String[] init = {"init", "--kind", "dense", "--hilbert", "spin:1/2:4", "--features", "3", "--layers", "2",
                "--out", file("m2.npz")};
        for (String bad : new String[]{"NaN", "Infinity", "2f", "0x1p1", "1e39", ""}) {
            Cli.run(concat(init, "--machine-pow=" + bad)).assertFails(Main.USAGE,
                    "--machine-pow: expected a finite decimal number but got '" + bad + "'");
        }
        Cli.run(concat(init, "--dilation", "two")).assertFails(Main.USAGE,
                "--dilation: expected an integer such as 3 or a pair such as 3,2 but got 'two'");
        Cli.run(concat(init, "--dilation", "3000000000")).assertFails(Main.USAGE,
                "--dilation: expected an integer such as 3 or a pair such as 3,2 but got '3000000000'");
        Cli.run(concat(init, "--layers", "10000000000")).assertFails(Main.USAGE,
                "--layers: expected an integer 1..2147483647 but got '10000000000'");
        Cli.run("init", "--kind", "dense", "--hilbert", "spin:1/2:4", "--features", "3,99999999999", "--layers", "2",
                "--out", file("m2.npz")).assertFails(Main.USAGE,
                "--features: expected widths 1..2147483647 but got '3,99999999999'");
        assertEquals(List.of("model.npz"), ModelFixtures.list(dir));
        Cli.run(concat(init, "--machine-pow", "1e-3")).assertOk();
    }

    /**
     * {@code --threads} is bounded (see {@link ThreadsOption#MAX_THREADS}): a huge value is a
     * usage error naming the option, the range and the value, before any model is loaded.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sample", "logpsi", "conditionals", "gradient"})
    void hugeThreadCountsAreUsageErrorsWithTheRange(String command) throws IOException {
        String m = model();
        String[] rest = command.equals("sample") ? new String[]{"--samples", "5", "--out", file("s.npy")}
                : new String[]{"--inputs", file("absent.npy"), "--out", file("o.npy")};
        for (String bad : new String[]{"10000000", "2147483647", "4097", "0", "99999999999"}) {
            Cli.run(concat(concat(new String[]{command, m}, rest), "--threads", bad)).assertFails(Main.USAGE,
                    "jarnn: --threads: expected an integer 1..4096 but got '" + bad + "' (see jarnn " + command
                            + " --help)");
        }
        assertEquals(List.of("model.npz"), ModelFixtures.list(dir));
    }

    @Test
    void theMostThreadsAllowedRun() throws IOException {
        Cli.run("sample", model(), "--samples", "5", "--out", file("s.npy"), "--threads", "4096").assertOk();
        assertArrayEquals(new int[]{5, 8}, Npy.read(dir.resolve("s.npy")).shape());
    }

    @Test
    void missingRequiredOptionsAndArgumentsAreNamedWithTheirValue() throws IOException {
        String m = model();
        Cli.run("sample", m, "--out", file("s.npy")).assertFails(Main.USAGE,
                "jarnn: missing --samples N (see jarnn sample --help)");
        Cli.run("sample", m).assertFails(Main.USAGE, "missing --samples N, --out FILE.npy");
        Cli.run("sample", "--samples", "3", "--out", file("s.npy")).assertFails(Main.USAGE, "missing MODEL");
        Cli.run("sample", m, "--samples", "3", "--out").assertFails(Main.USAGE, "--out: expected a value (FILE.npy)");
        Cli.run("sample", m, "--samples", "3", "--out", "--log-prob").assertFails(Main.USAGE,
                "--out: expected a value (FILE.npy)");
        Cli.run("sample", m, "--samples", "3", "--out", "--typo.npy").assertFails(Main.USAGE,
                "--out: expected a value (FILE.npy) but got '--typo.npy'");
        Cli.run("sample", m, "--samples", "3", "--out=").assertFails(Main.USAGE,
                "--out: expected a file name but got an empty one");
        assertEquals(List.of("model.npz"), ModelFixtures.list(dir));
    }

    @Test
    void unknownRepeatedAndMisusedOptionsAreUsageErrors() throws IOException {
        String m = model();
        String out = file("s.npy");
        Cli.run("sample", m, "--samples", "3", "--out", out, "--sed", "1").assertFails(Main.USAGE,
                "unknown option '--sed'; did you mean --seed?", "(see jarnn sample --help)");
        // A typo in a required option is reported as the typo, not as the option missing.
        Cli.run("sample", m, "--sample", "3", "--out", out).assertFails(Main.USAGE, "unknown option '--sample'");
        Cli.run("sample", m, "-c", "--samples", "3", "--out", out).assertFails(Main.USAGE, "unknown option '-c'");
        Cli.run("sample", m, "--samples", "3", "--out", out, "--samples=4").assertFails(Main.USAGE,
                "--samples: given twice");
        Cli.run("sample", m, "--samples", "3", "--out", out, "--log-prob=yes").assertFails(Main.USAGE,
                "--log-prob: takes no value but got 'yes'");
        Cli.run("sample", m, "other.npz", "--samples", "3", "--out", out).assertFails(Main.USAGE,
                "unexpected argument 'other.npz'");
        assertEquals(List.of("model.npz"), ModelFixtures.list(dir));
    }

    @Test
    void wordsAreTakenLiterally() throws IOException {
        // After "--" everything is an argument; "@file" is a file name, not a file of arguments.
        Cli.run("summary", "--", "--absent.npz").assertFails(Main.FAILURE, "--absent.npz: no such file or directory");
        Path arguments = Files.writeString(dir.resolve("arguments.txt"), "--help\n");
        Cli.run("summary", "@" + arguments).assertFails(Main.FAILURE, "@" + arguments + ": no such file or directory");
    }

    /** Every option of every command, as its help shows it; a renamed or lost option fails here. */
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "init", List.of("--kind dense|conv1d|conv2d", "--hilbert SPEC", "--features F", "--layers L", "--kernel-size K|h,w",
                    "--dilation D|dh,dw", "--bias on|off", "--machine-pow P", "--seed S", "--params FILE.npz",
                    "--dtype float32|float64", "--out MODEL.npz"),
            "summary", List.of("MODEL", "--batch B", "--dtype float32|float64"),
            "sample", List.of("MODEL", "--samples N", "--seed S", "--out FILE.npy", "--log-prob",
                    "--log-prob-out FILE.npy", "--dtype float32|float64", "--threads T"),
            "logpsi", List.of("MODEL", "--inputs FILE.npy", "--out FILE.npy", "--dtype float32|float64", "--threads T"),
            "conditionals", List.of("MODEL", "--inputs FILE.npy", "--out FILE.npy", "--dtype float32|float64",
                    "--threads T"),
            "gradient", List.of("MODEL", "--inputs FILE.npy", "--out FILE.npz", "--cotangent FILE.npy",
                    "--jacobian FILE.npy", "--dtype float32|float64", "--threads T"),
            "train", List.of("--hamiltonian SPEC", "--lattice SPEC", "--model FILE.npz", "--kind dense|conv1d|conv2d",
                    "--layers L", "--features F", "--kernel-size K|h,w", "--dilation D|dh,dw", "--dtype float32|float64",
                    "--samples N", "--steps S", "--optimizer sgd|adam|sr", "--lr ETA", "--diag-shift EPS", "--seed S",
                    "--out MODEL.npz", "--checkpoint-every K", "--log FILE.csv", "--plot FILE.png", "--threads T"),
            "energy", List.of("MODEL", "--hamiltonian SPEC", "--lattice SPEC", "--samples N", "--seed S",
                    "--dtype float32|float64", "--threads T"),
            "exact", List.of("--hamiltonian SPEC", "--lattice SPEC"),
            "demo", List.of());

    @ParameterizedTest
    @ValueSource(strings = {"init", "summary", "sample", "logpsi", "conditionals", "gradient", "train", "energy", "exact", "demo"})
    void helpListsEveryOptionWithItsValueAndDefault(String command) {
        String help = Cli.run(command, "--help").assertOk().out();
        List<String> listed = new ArrayList<>(OPTIONS.get(command));
        listed.addAll(List.of("-h, --help", "--debug"));
        for (String option : listed) {
            assertTrue(help.lines().anyMatch(line -> line.strip().startsWith(option + "  ")),
                    () -> "'" + option + "' listed in:\n" + help);
        }
        long optionLines = help.lines().filter(line -> line.matches(" {2,6}(-h, )?--?[a-z].*|      MODEL .*")).count();
        assertEquals(listed.size(), optionLines, () -> "options listed in:\n" + help);
    }

    @Test
    void helpShowsTheSynopsisAndDefaults() {
        String help = Cli.run("sample", "--help").assertOk().out();
        assertTrue(help.startsWith("usage: jarnn sample MODEL --samples N --out FILE.npy [--seed S] [--log-prob]\n"),
                help);
        assertTrue(help.contains("--seed S                  random seed (default 0)\n"), help);
        String init = Cli.run("init", "--help").assertOk().out();
        for (String line : new String[]{"--kernel-size K|h,w          conv1d: kernel size K >= 2 (default 3)",
                "                                   conv2d: h,w, e.g. 3,2 (required)",
                "--dilation D|dh,dw           conv1d: kernel dilation D (default 1)",
                "--bias on|off                whether layers have biases (default on)",
                "--machine-pow P              p in |psi|^p = probability (default 2)"}) {
            assertTrue(init.contains(line + "\n"), () -> "'" + line + "' in:\n" + init);
        }
    }

    @Test
    void debugAlsoTracesCommandLineErrors() throws IOException {
        Cli r = Cli.run("sample", model(), "--samples", "0", "--out", file("s.npy"), "--debug");
        assertEquals(Main.USAGE, r.status());
        assertTrue(r.err().startsWith("jarnn: --samples: expected an integer 1..2147483647 but got '0'"), r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    /**
     * A bad {@code -Djarnn.kernels} fails when the kernels are first used; in a JVM of its own,
     * since the choice is made once per JVM.
     */
    @Test
    void aBadKernelsPropertyIsOneLineWithStatusOne() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules=jdk.incubator.vector", "-Djarnn.kernels=bogus",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "demo did not end");
        assertEquals(Main.FAILURE, p.exitValue(), err);
        List<String> lines = err.lines().filter(line -> !line.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.getFirst().startsWith("jarnn: ") && lines.getFirst().contains("jarnn.kernels")
                && lines.getFirst().contains("'bogus'"), err);
        assertFalse(err.contains("Exception") || err.contains("Error") || err.contains("\tat "), err);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
