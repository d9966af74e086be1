package io.jarnn.cli;

import io.jarnn.kernels.Kernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CLI's numbers do not change under refactoring: init from a seed, sample, conditionals and
 * logpsi give the same bytes as the files in {@code src/test/resources/golden} (see its README).
 */
class GoldenOutputTest {

    /** The case's name, then its init flags. */
    private static final List<String[]> CASES = List.of(
                new String[]{"dense", "--kind", "dense", "--hilbert", "spin:1/2:12", "--layers", "3", "--features", "8"},
                new String[]{"conv1d", "--kind", "conv1d", "--hilbert", "spin:1:13", "--layers", "3",
                        "--features", "8,6,3", "--kernel-size", "3", "--dilation", "2"},
                new String[]{"convfock", "--kind", "conv1d", "--hilbert", "fock:2:9", "--layers", "2",
                        "--features", "5", "--kernel-size", "4", "--bias", "off", "--machine-pow", "1.5"});

    static Stream<String> cases() {
        return CASES.stream().map(c -> c[0]);
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void samplesConditionalsAndLogPsiAreThoseOfTheGoldenFiles(String name) throws IOException {
        String[] golden = CASES.stream().filter(c -> c[0].equals(name)).findFirst().orElseThrow();
        String[] flags = Arrays.copyOfRange(golden, 1, golden.length);
        String model = dir.resolve(name + ".npz").toString();
        String samples = dir.resolve(name + ".samples.npy").toString();
        String[] init = Stream.concat(Stream.concat(Stream.of("init"), Arrays.stream(flags)),
                Stream.of("--seed", "11", "--out", model)).toArray(String[]::new);
        Cli.run(init).assertOk();
        Cli.run("sample", model, "--samples", "96", "--seed", "7", "--log-prob", "--out", samples).assertOk();
        assertSameBytes(name + ".samples.npy", dir);
        assertSameBytes(name + ".samples.log_prob.npy", dir);

        String goldenKernels = new String(golden("kernels.txt"), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(Kernels.active().name().equals(goldenKernels),
                "conditionals and logPsi were recorded with " + goldenKernels + ", these are " + Kernels.active().name());
        String goldenSamples = dir.resolve("golden-inputs.npy").toString();
        Files.write(Path.of(goldenSamples), golden(name + ".samples.npy"));
        Cli.run("conditionals", model, "--inputs", goldenSamples, "--out", dir.resolve(name + ".conditionals.npy").toString())
                .assertOk();
        Cli.run("logpsi", model, "--inputs", goldenSamples, "--out", dir.resolve(name + ".logpsi.npy").toString())
                .assertOk();
        assertSameBytes(name + ".conditionals.npy", dir);
        assertSameBytes(name + ".logpsi.npy", dir);
    }

    private static void assertSameBytes(String file, Path dir) throws IOException {
        byte[] expected = golden(file);
        byte[] actual = Files.readAllBytes(dir.resolve(file));
        int mismatch = Arrays.mismatch(expected, actual);
        if (mismatch >= 0) {
            fail(file + ": differs from the golden file at byte " + mismatch + " of " + expected.length
                    + " (got " + actual.length + " bytes)");
        }
    }

    private static byte[] golden(String file) throws IOException {
        try (InputStream in = GoldenOutputTest.class.getResourceAsStream("/golden/" + file)) {
            assertNotNull(in, "missing golden file " + file);
            return in.readAllBytes();
        }
    }
}
