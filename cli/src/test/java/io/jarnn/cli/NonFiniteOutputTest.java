package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reproduction: every kernel of a conv1d model times 1e16 or 1e30 (all weights
 * finite). logpsi, conditionals and sample --log-prob fail with one line naming the sample,
 * site and layer, exit 1, and write no file (before: exit 0 and NaN everywhere).
 */
class NonFiniteOutputTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(floats = {1e16f, 1e30f})
    void commandsRefuseToWriteNonFiniteResults(float factor) throws IOException {
        ARNN model = ARNNConv1D.builder(HilbertSpace.spin(0.5, 100)).layers(3).features(16).build(42);
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.parameters().forEach((key, t) -> {
            Tensor c = t.copy();
            if (key.endsWith("kernel")) {
                for (int i = 0; i < c.array().length; i++) {
                    c.array()[i] *= factor;
                }
            }
            params.put(key, c);
        });
        String file = ModelFixtures.save(dir, "big.npz", model.withParameters(params)).toString();
        Path inputs = dir.resolve("good.npy");
        Npy.write(inputs, model.hilbert().randomConfigurations(5, 1));
        List<String> before = listDir();
        Cli.run("logpsi", file, "--inputs", inputs.toString(), "--out", dir.resolve("lp.npy").toString())
                .assertFails(Main.FAILURE, "logPsi of sample 0", "_layers_");
        Cli.run("conditionals", file, "--inputs", inputs.toString(), "--out", dir.resolve("c.npy").toString())
                .assertFails(Main.FAILURE, "of sample 0", "_layers_");
        Cli.run("sample", file, "--samples", "100", "--log-prob", "--out", dir.resolve("s.npy").toString())
                .assertFails(Main.FAILURE, "conditional probabilities of sample", "_layers_");
        assertEquals(before, listDir(), "no output file is written");
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
