package io.jarnn.cli;

import io.jarnn.vmc.VmcCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C during {@code jarnn train} in a child JVM: the step under way finishes, model and state
 * are written (no temporary file left), the process exits with the signal's status, and
 * continuing from what it wrote gives, bit for bit, the run that was never stopped.
 */
class TrainStopTest {
    @TempDir
    Path dir;

    private static final String[] SYSTEM = {"train", "--hamiltonian", "ising:J=1,h=1", "--lattice", "chain:6:open",
            "--samples", "128", "--lr", "0.05", "--diag-shift", "0.01", "--threads", "1"};
    private static final String[] NEW_MODEL = {"--kind", "conv1d", "--layers", "2", "--features", "4", "--seed", "7"};

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void ctrlCWritesAFinalCheckpointThatContinuesTheSameTrajectory() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(SYSTEM));
        // Checkpoints at the end only: a state file can come from the signal alone.
        command.addAll(List.of(NEW_MODEL));
        command.addAll(List.of("--steps", "1000000", "--out", file("a.npz"), "--log", file("a.csv")));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        StringBuilder out = new StringBuilder();
        int signal;
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("  exact energy:")) {
                    break;
                }
            }
            assertTrue(p.isAlive(), "the run ended before training: " + out);
            Thread.sleep(1500); // some steps
            assertFalse(Files.exists(dir.resolve("a.vmc.npz")), "no checkpoint before the signal");
            signal = sigintIgnored(p.pid()) ? 15 : 2;
            // A test started in the background may inherit SIGINT as ignored (and the JVM then
            // keeps ignoring it); SIGTERM takes the same shutdown path.
            new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
            out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not stop");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(128 + signal, p.exitValue(), "exit status of signal " + signal + "; output:\n" + out);
        long k = VmcCheckpoint.load(dir.resolve("a.npz")).step();
        assertTrue(k >= 1, "steps done before the signal: " + k);
        assertTrue(out.toString().contains("stopped by a signal after step " + k + " of 1000000\n"), out.toString());
        assertEquals(k + 1, Files.readAllLines(dir.resolve("a.csv")).size(), "the log has every step done");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("a.csv", "a.npz", "a.vmc.npz"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "no temporary file left");
        }

        Cli.run(SystemSpecTest.concat(SYSTEM, "--model", file("a.npz"), "--steps", "2", "--out", file("a.npz"))).assertOk();
        Cli.run(SystemSpecTest.concat(SystemSpecTest.concat(SYSTEM, NEW_MODEL), "--steps", String.valueOf(k + 2),
                "--out", file("b.npz"))).assertOk();
        TrainRunTest.assertSameParameters(dir.resolve("b.npz"), dir.resolve("a.npz"));
    }

    /** Whether the process ignores SIGINT (bit 1 of SigIgn in /proc/PID/status). */
    private static boolean sigintIgnored(long pid) throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
