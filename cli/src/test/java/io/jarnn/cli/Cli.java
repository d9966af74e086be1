package io.jarnn.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code jarnn} in-process and captures what it prints. */
record Cli(int status, String out, String err) {
    /**
     * The demo as the tests run it: the README's ground-state search shrunk to seconds (a chain
     * of 8, a small model, few steps), the same code and output shape.
     */
    static final Demo.Settings QUICK_DEMO = new Demo.Settings(8, InitCommand.Kind.CONV1D, 2, 4, 3, 256, 40, 0.05,
            0.01, 1, 2048, 10, 1e-2);

    static Cli run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e, QUICK_DEMO);
        }
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Succeeded (status 0) and printed nothing on stderr but its own report lines. */
    Cli assertOk() {
        assertEquals(Main.OK, status, () -> "expected status 0; stderr: " + err + "\nstdout: " + out);
        return this;
    }

    /**
     * Failed with {@code expectedStatus} and exactly one stderr line, starting "jarnn: ", with
     * every fragment in it and no stack trace.
     */
    Cli assertFails(int expectedStatus, String... fragments) {
        assertEquals(expectedStatus, status, () -> "expected status " + expectedStatus + "; stderr: " + err);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), () -> "expected one line on stderr but got:\n" + err);
        String line = lines.getFirst();
        assertTrue(line.startsWith("jarnn: "), line);
        for (String f : fragments) {
            assertTrue(line.contains(f), () -> "expected '" + f + "' in: " + line);
        }
        assertFalse(line.contains("Exception") || line.contains("\tat "), () -> "no exception names: " + line);
        return this;
    }
}
