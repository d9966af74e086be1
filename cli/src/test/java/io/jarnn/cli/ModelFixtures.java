package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Small models saved to files, for the commands that read one. */
final class ModelFixtures {
    private ModelFixtures() {
    }

    static ARNN conv() {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, 8)).layers(2).features(4).kernelSize(3).dilation(2).build(21);
    }

    static ARNN denseSpinOne() {
        return ARNNDense.builder(HilbertSpace.spin(1, 5)).layers(2).features(3).machinePow(1.5f).build(22);
    }

    static Path save(Path dir, String name, AutoregressiveModel model) throws IOException {
        Path file = dir.resolve(name);
        ModelFiles.save(file, model);
        return file;
    }

    /** A copy of a valid model file cut in half. */
    static Path truncated(Path dir, ARNN model) throws IOException {
        Path whole = save(dir, "whole.npz", model);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("truncated.npz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Files.delete(whole);
        return cut;
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
