package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleCommandTest {
    @TempDir
    Path dir;

    private Path model;

    private Path model() throws IOException {
        if (model == null) {
            model = ModelFixtures.save(dir, "model.npz", ModelFixtures.conv());
        }
        return model;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void writesTheSamplesAndLogProbabilitiesOfOneLibraryCall() throws IOException {
        Cli r = Cli.run("sample", model().toString(), "--samples", "300", "--seed", "11", "--log-prob",
                "--out", file("s.npy")).assertOk();
        ARNN m = ModelFixtures.conv();
        Samples expected = DirectSampler.of(m).sample(300, 11, true);
        Tensor samples = Npy.read(dir.resolve("s.npy"));
        Tensor logProb = Npy.read(dir.resolve("s.log_prob.npy"));
        assertArrayEquals(new int[]{300, 8}, samples.shape());
        assertTrue(expected.configurations().contentEquals(samples), "samples differ from DirectSampler's");
        assertTrue(expected.logProbabilities().contentEquals(logProb), "log-probabilities differ from DirectSampler's");
        // log p = machinePow * logPsi of the drawn configuration.
        Tensor logPsi = m.logPsi(samples);
        for (int b = 0; b < 300; b++) {
            assertEquals(m.machinePow() * logPsi.get(b), logProb.get(b), 1e-4, "sample " + b);
        }
        assertEquals("wrote " + file("s.npy") + ": float32 (300, 8), seed 11\nwrote " + file("s.log_prob.npy")
                + ": float32 (300,), log-probabilities\n", r.out());
        assertTrue(r.err().matches("sampled 300 configurations of Spin\\(s=1/2, N=8\\) in \\d+\\.\\d\\d s: [\\d,]+ "
                + "samples/s \\(\\d+ threads, .+\\)\\R"), r.err());
    }

    @Test
    void theThreadCountDoesNotChangeTheSamples() throws IOException {
        Cli.run("sample", model().toString(), "--samples", "1500", "--out", file("one.npy"), "--threads", "1").assertOk();
        Cli.run("sample", model().toString(), "--samples", "1500", "--out", file("two.npy"), "--threads", "2").assertOk();
        assertArrayEquals(Files.readAllBytes(dir.resolve("one.npy")), Files.readAllBytes(dir.resolve("two.npy")));
        assertEquals(List.of("model.npz", "one.npy", "two.npy"), ModelFixtures.list(dir), "no log-prob file unless asked");
    }

    @Test
    void logProbOutNamesTheSecondFileAndImpliesLogProb() throws IOException {
        Cli.run("sample", model().toString(), "--samples", "10", "--out", file("s.npy"), "--log-prob-out",
                file("lp.npy")).assertOk();
        assertArrayEquals(new int[]{10}, Npy.read(dir.resolve("lp.npy")).shape());
        assertEquals(List.of("lp.npy", "model.npz", "s.npy"), ModelFixtures.list(dir));
    }

    @Test
    void badFlagsAreUsageErrors() throws IOException {
        String m = model().toString();
        Cli.run("sample", m, "--out", file("s.npy")).assertFails(Main.USAGE, "missing --samples N");
        Cli.run("sample", m, "--samples", "0", "--out", file("s.npy")).assertFails(Main.USAGE,
                "--samples: expected an integer 1..2147483647 but got '0'");
        Cli.run("sample", m, "--samples", "ten", "--out", file("s.npy")).assertFails(Main.USAGE, "--samples");
        Cli.run("sample", m, "--samples", "10").assertFails(Main.USAGE, "missing --out FILE.npy");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npz")).assertFails(Main.USAGE,
                "--out: expected a file name ending in .npy");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npy"), "--log-prob-out", file("s.npy"))
                .assertFails(Main.USAGE, "--out and --log-prob-out: expected different files");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npy"), "--threads", "0").assertFails(Main.USAGE,
                "--threads: expected an integer 1..4096 but got '0'");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npy"), "--log-prob=yes").assertFails(Main.USAGE,
                "--log-prob: takes no value");
        Cli.run("sample", "--samples", "10", "--out", file("s.npy")).assertFails(Main.USAGE, "missing MODEL");
        assertEquals(List.of("model.npz"), ModelFixtures.list(dir));
    }

    @Test
    void tooManyValuesForOneArrayIsRefusedBeforeAllocating() throws IOException {
        Cli.run("sample", model().toString(), "--samples", "300000000", "--out", file("s.npy"))
                .assertFails(Main.USAGE, "--samples: 300,000,000 samples of 8 sites are 2,400,000,000 values");
    }

    @Test
    void unwritableOutputsFailBeforeSamplingAndLeaveNoFile() throws IOException {
        String m = model().toString();
        Path missingDir = dir.resolve("absent").resolve("s.npy");
        Cli.run("sample", m, "--samples", "10", "--out", missingDir.toString())
                .assertFails(Main.FAILURE, "cannot write " + missingDir, "does not exist");
        Path taken = Files.createDirectory(dir.resolve("taken.npy"));
        Cli.run("sample", m, "--samples", "10", "--out", taken.toString())
                .assertFails(Main.FAILURE, "cannot write " + taken + ": it is a directory");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npy"), "--log-prob-out", missingDir.toString())
                .assertFails(Main.FAILURE, "cannot write " + missingDir);
        assertEquals(List.of("model.npz", "taken.npy"), ModelFixtures.list(dir));
    }

    @Test
    void missingOrCorruptModelsFailCleanly() throws IOException {
        Cli.run("sample", file("absent.npz"), "--samples", "10", "--out", file("s.npy"))
                .assertFails(Main.FAILURE, "absent.npz: no such file or directory");
        Path cut = ModelFixtures.truncated(dir, ModelFixtures.conv());
        Cli.run("sample", cut.toString(), "--samples", "10", "--out", file("s.npy"))
                .assertFails(Main.FAILURE, cut.toString());
        assertEquals(List.of("truncated.npz"), ModelFixtures.list(dir));
    }
}
