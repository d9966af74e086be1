package io.jarnn.cli;

import io.jarnn.core.NdArray;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.AutoregressiveModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short {@code jarnn train} runs on a chain of 6 (a second or two each): what they print and
 * write, and that {@code --model} continues a run exactly where it stopped.
 */
class TrainRunTest {
    @TempDir
    Path dir;

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private static String[] train(String... more) {
        return SystemSpecTest.concat(new String[]{"train", "--hamiltonian", "ising:J=1,h=1", "--lattice", "chain:6:open",
                "--samples", "128", "--lr", "0.05", "--diag-shift", "0.01", "--threads", "1"}, more);
    }

    private static final String[] NEW_MODEL = {"--kind", "conv1d", "--layers", "2", "--features", "4", "--seed", "7"};

    @Test
    void aShortRunWritesModelStateLogAndPlotAndSaysHowItWent() throws IOException {
        Cli r = Cli.run(train(SystemSpecTest.concat(NEW_MODEL, "--steps", "5", "--out", file("m.npz"), "--log",
                file("train.csv"), "--plot", file("energy.png")))).assertOk();
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("training ARNNConv1D(hilbert=Spin(s=1/2, N=6), layers=2"), r.out());
        assertEquals("  on ising:J=1,h=1 on chain:6:open", lines.get(1));
        assertEquals("  128 samples/step, 5 steps, sr (lr 0.05, diag shift 0.01), seed 7", lines.get(2));
        double exact = 1 - 1 / Math.sin(Math.PI / 26);
        assertTrue(lines.get(3).startsWith(String.format(java.util.Locale.ROOT,
                "  exact energy: %.10f (free fermions, closed form)", exact)), r.out());
        assertTrue(lines.get(4).matches("5 steps in [0-9.]+ s \\([0-9.]+ steps/s\\)"), r.out());
        assertTrue(lines.get(5).matches("energy at step 5: -[0-9.]+ ± [0-9.]+"), r.out());
        assertTrue(lines.get(6).startsWith(String.format(java.util.Locale.ROOT,
                "exact energy: %.10f (free fermions, closed form); relative error ", exact)), r.out());
        assertEquals("wrote " + file("m.npz") + " (and m.vmc.npz, the optimiser's state, to continue with --model), "
                + file("train.csv") + ", " + file("energy.png"), lines.get(7));

        List<String> csv = Files.readAllLines(dir.resolve("train.csv"));
        assertEquals(TrainingLog.HEADER, csv.getFirst());
        assertEquals(6, csv.size(), csv::toString);
        for (int step = 1; step <= 5; step++) {
            String[] cells = csv.get(step).split(",", -1);
            assertEquals(6, cells.length, csv.get(step));
            assertEquals(String.valueOf(step), cells[0]);
            double e = Double.parseDouble(cells[1]);
            assertEquals(Math.abs(e - exact) / Math.abs(exact), Double.parseDouble(cells[4]), 1e-12);
        }
        BufferedImage png = ImageIO.read(dir.resolve("energy.png").toFile());
        assertEquals(EnergyPlot.WIDTH, png.getWidth());
        AutoregressiveModel model = ModelFiles.load(dir.resolve("m.npz"));
        assertEquals("float32", model.dtype().toString().toLowerCase(java.util.Locale.ROOT),
                "a new model is float32 unless --dtype says otherwise, as init makes it");
        assertTrue(Files.exists(dir.resolve("m.vmc.npz")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("energy.png", "m.npz", "m.vmc.npz", "train.csv"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    /** 5 steps, then 3 more from the saved model and state, give the model of 8 steps in one run, bit for bit. */
    @Test
    void continuingWithModelIsTheUninterruptedRun() throws IOException {
        Cli.run(train(SystemSpecTest.concat(NEW_MODEL, "--steps", "5", "--out", file("a.npz")))).assertOk();
        Cli r = Cli.run(train("--model", file("a.npz"), "--steps", "3", "--out", file("b.npz"), "--log",
                file("b.csv"))).assertOk();
        assertTrue(r.out().contains("\n  continuing from step 5 of " + file("a.npz") + " (state: "
                + file("a.vmc.npz") + ")\n"), r.out());
        assertTrue(r.out().contains("\nenergy at step 8: "), r.out());
        List<String> csv = Files.readAllLines(dir.resolve("b.csv"));
        assertEquals(List.of("6", "7", "8"), csv.subList(1, 4).stream().map(l -> l.split(",")[0]).toList());

        Cli.run(train(SystemSpecTest.concat(NEW_MODEL, "--steps", "8", "--out", file("c.npz")))).assertOk();
        assertSameParameters(dir.resolve("c.npz"), dir.resolve("b.npz"));
        // In place: --model and --out the same file.
        Cli.run(train("--model", file("a.npz"), "--steps", "3", "--out", file("a.npz"))).assertOk();
        assertSameParameters(dir.resolve("c.npz"), dir.resolve("a.npz"));
    }

    @Test
    void aModelWithoutStateStartsAtStepOneAndAContinuedRunKeepsItsSettings() throws IOException {
        Path saved = ModelFixtures.save(dir, "fresh.npz", io.jarnn.nn.ARNNDense.builder(
                io.jarnn.core.HilbertSpace.spin(0.5, 6)).layers(2).features(3).build(3));
        Cli r = Cli.run(train("--model", saved.toString(), "--steps", "2", "--optimizer", "adam", "--out",
                file("f.npz"))).assertOk();
        assertTrue(r.out().contains("\nenergy at step 2: "), r.out());
        assertFalse(r.out().contains("continuing"), r.out());
        Cli.run(train("--model", file("f.npz"), "--steps", "1", "--out", file("g.npz"), "--seed", "9"))
                .assertFails(Main.USAGE, "jarnn: --seed: the run continued from " + file("f.vmc.npz")
                        + " has seed 0");
        Cli.run(train("--model", file("f.npz"), "--steps", "1", "--out", file("g.npz"))).assertFails(Main.USAGE,
                "jarnn: --optimizer: the run continued from " + file("f.vmc.npz") + " used adam but got sr");
        Cli.run("train", "--hamiltonian", "ising:h=1", "--lattice", "chain:8:open", "--model", saved.toString(),
                "--out", file("g.npz")).assertFails(Main.FAILURE,
                "fresh.npz: the model is on Spin(s=1/2, N=6) but ising:J=1,h=1 on chain:8:open acts on Spin(s=1/2, N=8)");
    }

    static void assertSameParameters(Path expected, Path actual) throws IOException {
        Map<String, ? extends NdArray> a = ModelFiles.load(expected).parameters();
        Map<String, ? extends NdArray> b = ModelFiles.load(actual).parameters();
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            double[] x = new double[a.get(key).size()];
            double[] y = new double[b.get(key).size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = a.get(key).getDouble(i);
                y[i] = b.get(key).getDouble(i);
            }
            assertArrayEquals(x, y, key);
        }
    }
}
