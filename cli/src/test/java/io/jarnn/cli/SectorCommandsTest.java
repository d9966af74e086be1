package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.io.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Constrained spaces through the real commands: init, summary, sample, logpsi. */
class SectorCommandsTest {
    @TempDir
    Path dir;

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    /** init, summary and sample; returns the samples after checking that each lies in the sector. */
    private Tensor initAndSample(String spec, HilbertSpace expected, double valueSum, String... kindFlags)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("init", "--hilbert", spec, "--features", "4", "--seed", "5",
                "--out", file("m.npz")));
        args.addAll(List.of(kindFlags));
        Cli r = Cli.run(args.toArray(String[]::new)).assertOk();
        assertTrue(r.out().contains("hilbert=" + expected), r.out());
        assertEquals(expected, ModelFiles.load(dir.resolve("m.npz")).hilbert());
        Cli summary = Cli.run("summary", file("m.npz")).assertOk();
        assertTrue(summary.out().startsWith(kindFlags[1].equals("dense") ? "ARNNDense(hilbert=" + expected
                : "ARNNConv1D(hilbert=" + expected), summary.out());
        Cli.run("sample", file("m.npz"), "--samples", "700", "--seed", "9", "--out", file("s.npy")).assertOk();
        Tensor samples = Npy.read(dir.resolve("s.npy"));
        assertEquals(700, samples.dim(0));
        for (int r0 = 0; r0 < samples.dim(0); r0++) {
            double sum = 0;
            for (int i = 0; i < samples.dim(1); i++) {
                sum += samples.get(r0, i);
            }
            assertEquals(valueSum, sum, spec + ": sample " + r0 + " is outside the sector");
        }
        return samples;
    }

    @Test
    void spinSectorFromInitToSamples() throws IOException {
        Tensor samples = initAndSample("spin:1/2:20:sz=0", HilbertSpace.spin(0.5, 20, 0), 0,
                "--kind", "conv1d", "--layers", "2", "--kernel-size", "3");
        // logpsi: finite on the samples, -Infinity on a configuration outside the sector
        Tensor inputs = samples.slice(0, 2).copy();
        inputs.set(-inputs.get(1, 0), 1, 0);
        Npy.write(dir.resolve("in.npy"), inputs);
        Cli.run("logpsi", file("m.npz"), "--inputs", file("in.npy"), "--out", file("lp.npy")).assertOk();
        Tensor logPsi = Npy.read(dir.resolve("lp.npy"));
        assertTrue(Float.isFinite(logPsi.get(0)), "logPsi of a sample: " + logPsi.get(0));
        assertEquals(Float.NEGATIVE_INFINITY, logPsi.get(1), "logPsi outside the sector");
    }

    @Test
    void fockSectorFromInitToSamples() throws IOException {
        initAndSample("fock:3:8:n=8", HilbertSpace.fock(3, 8, 8), 8, "--kind", "dense", "--layers", "3");
    }

    @Test
    void anUnreachableTotalIsAUsageError() {
        Cli.run("init", "--kind", "dense", "--hilbert", "spin:1/2:5:sz=0", "--layers", "2", "--features", "4", "--out", file("x.npz"))
                .assertFails(Main.USAGE, "totalSz: expected one of -5/2, -3/2, ..., 5/2", "but got 0.0",
                        "'spin:1/2:5:sz=0'");
    }
}
