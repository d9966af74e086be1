package io.jarnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code jarnn train}: what it refuses before any work. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private String[] train(String... more) {
        return SystemSpecTest.concat(new String[]{"train", "--hamiltonian", "ising:J=1,h=1", "--lattice", "chain:6:open"},
                more);
    }

    @Test
    void aNewModelNeedsKindLayersAndFeaturesAndASavedOneNone() throws IOException {
        Cli.run(train("--out", file("m.npz"))).assertFails(Main.USAGE,
                "jarnn: missing --kind dense|conv1d|conv2d, --layers L, --features F (for a new model; or continue from "
                        + "--model FILE.npz) (see jarnn train --help)");
        Cli.run(train("--kind", "dense", "--features", "4", "--out", file("m.npz"))).assertFails(Main.USAGE,
                "missing --layers L (for a new model");
        Path saved = ModelFixtures.save(dir, "saved.npz", ModelFixtures.conv());
        Cli.run(train("--model", saved.toString(), "--layers", "2", "--out", file("m.npz"))).assertFails(Main.USAGE,
                "jarnn: --model and --layers: give one (the model is either saved or new)");
        Cli.run(train("--kind", "dense", "--layers", "2", "--features", "4", "--kernel-size", "3", "--out",
                file("m.npz"))).assertFails(Main.USAGE, "--kernel-size: only a conv1d or conv2d model has one");
        Cli.run(train("--kind", "conv1d", "--layers", "2", "--features", "4", "--kernel-size", "1", "--out",
                file("m.npz"))).assertFails(Main.USAGE, "jarnn: --kernel-size: ");
        assertNothingWritten();
    }

    @Test
    void badValuesNameTheirOption() {
        String[] model = {"--kind", "conv1d", "--layers", "2", "--features", "4", "--out", file("m.npz")};
        Cli.run(train(SystemSpecTest.concat(model, "--optimizer", "lbfgs"))).assertFails(Main.USAGE,
                "jarnn: --optimizer: expected sgd, adam or sr but got 'lbfgs'");
        Cli.run(train(SystemSpecTest.concat(model, "--lr", "0"))).assertFails(Main.USAGE,
                "jarnn: --lr: expected a decimal number > 0 such as 0.01 or 1e-3 but got '0'");
        Cli.run(train(SystemSpecTest.concat(model, "--diag-shift", "-1"))).assertFails(Main.USAGE,
                "jarnn: --diag-shift: expected a decimal number >= 0 such as 0.01 or 1e-3 but got '-1'");
        Cli.run(train(SystemSpecTest.concat(model, "--steps", "0"))).assertFails(Main.USAGE,
                "jarnn: --steps: expected an integer 1..2147483647 but got '0'");
        Cli.run(train(SystemSpecTest.concat(model, "--samples", "many"))).assertFails(Main.USAGE,
                "jarnn: --samples: expected an integer 1..2147483647 but got 'many'");
    }

    @Test
    void outputsNeedTheirSuffixesAndDistinctNames() throws IOException {
        String[] model = {"--kind", "conv1d", "--layers", "2", "--features", "4"};
        Cli.run(train(SystemSpecTest.concat(model, "--out", file("m.npy")))).assertFails(Main.USAGE,
                "jarnn: --out: expected a file name ending in .npz but got");
        Cli.run(train(SystemSpecTest.concat(model, "--out", file("m.npz"), "--log", file("log.txt"))))
                .assertFails(Main.USAGE, "jarnn: --log: expected a file name ending in .csv");
        Cli.run(train(SystemSpecTest.concat(model, "--out", file("m.npz"), "--plot", file("e.jpg"))))
                .assertFails(Main.USAGE, "jarnn: --plot: expected a file name ending in .png");
        Cli.run(train(SystemSpecTest.concat(model, "--out", file("m.npz"), "--plot", dir.resolve("no/e.png").toString())))
                .assertFails(Main.FAILURE, "cannot write", "does not exist");
        assertNothingWritten();
    }

    private void assertNothingWritten() throws IOException {
        try (var files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("saved.npz")).toList();
            assertEquals(List.of(), names, "nothing written");
        }
    }
}
