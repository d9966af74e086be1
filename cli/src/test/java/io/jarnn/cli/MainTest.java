package io.jarnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void globalHelpListsEveryCommand() {
        for (String flag : new String[]{"--help", "-h", "help"}) {
            Cli r = Cli.run(flag).assertOk();
            assertTrue(r.out().startsWith("jarnn "), r.out());
            for (String command : new String[]{"init", "summary", "sample", "logpsi", "conditionals", "gradient", "train", "energy", "exact", "demo"}) {
                assertTrue(r.out().contains("\n  " + command + " "), () -> command + " missing from:\n" + r.out());
            }
            assertEquals("", r.err());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"init", "summary", "sample", "logpsi", "conditionals", "gradient", "train", "energy", "exact", "demo"})
    void everyCommandHasHelp(String command) {
        Cli r = Cli.run(command, "--help").assertOk();
        assertTrue(r.out().startsWith("usage: jarnn " + command), r.out());
        assertTrue(r.out().contains("--help"), r.out());
        assertEquals(r.out(), Cli.run("help", command).assertOk().out());
        // --help wins over anything else on the line, even flags the command does not know.
        assertEquals(r.out(), Cli.run(command, "--bogus", "-h").assertOk().out());
    }

    @Test
    void versionNamesTheProjectVersion() {
        Cli r = Cli.run("--version").assertOk();
        assertTrue(r.out().matches("jarnn \\d+\\.\\d+\\.\\d+\\S* \\(JDK .*, kernels: .*\\)\\R"), r.out());
    }

    @Test
    void noCommandRunsTheDemo() {
        Cli r = Cli.run().assertOk();
        assertTrue(r.out().startsWith("jarnn demo"), r.out());
        java.util.regex.Matcher total = java.util.regex.Pattern
                .compile("sum of p\\(sigma\\) over all 1024 configurations: ([0-9.]+)").matcher(r.out());
        int models = 0;
        while (total.find()) {
            assertEquals(1.0, Double.parseDouble(total.group(1)), 1e-4, r.out());
            models++;
        }
        assertEquals(2, models, "a total probability for each demo model: " + r.out());
        assertEquals(r.out().lines().count(), Cli.run("demo").assertOk().out().lines().count());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli.run("fit").assertFails(Main.USAGE, "unknown command 'fit'", "init, summary, sample");
        Cli.run("--frobnicate").assertFails(Main.USAGE, "unknown option '--frobnicate'");
        Cli.run("help", "fit").assertFails(Main.USAGE, "unknown command 'fit'");
    }

    @Test
    void demoTakesNoArguments() {
        Cli.run("demo", "extra").assertFails(Main.USAGE, "unexpected argument 'extra'", "jarnn demo --help");
        Cli.run("demo", "--seed", "1").assertFails(Main.USAGE, "unknown option '--seed'");
    }

    @Test
    void debugAddsTheStackTrace() {
        Cli r = Cli.run("--debug", "summary", "/nonexistent/model.npz");
        assertEquals(Main.FAILURE, r.status());
        assertTrue(r.err().startsWith("jarnn: /nonexistent/model.npz: no such file or directory\n"), r.err());
        assertTrue(r.err().contains("NoSuchFileException") && r.err().contains("\tat "), r.err());
        Cli.run("summary", "/nonexistent/model.npz").assertFails(Main.FAILURE, "no such file or directory");
    }
}
