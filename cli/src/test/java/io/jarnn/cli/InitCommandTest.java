package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitCommandTest {
    @TempDir
    Path dir;

    private String out() {
        return dir.resolve("model.npz").toString();
    }

    private ARNN loaded() throws IOException {
        return (ARNN) ModelFiles.load(dir.resolve("model.npz"));
    }

    @Test
    void conv1dFromFlagsMatchesTheLibraryModelOfTheSameSeed() throws IOException {
        Cli r = Cli.run("init", "--kind", "conv1d", "--hilbert", "spin:1/2:12", "--layers", "3", "--features", "5",
                "--kernel-size", "4", "--dilation", "2", "--seed", "42", "--out", out()).assertOk();
        ARNN expected = ARNNConv1D.builder(HilbertSpace.spin(0.5, 12)).layers(3).features(5).kernelSize(4).dilation(2)
                .build(42);
        ARNN model = loaded();
        assertEquals(expected.config(), model.config());
        expected.parameters().forEach((k, t) -> assertTrue(t.contentEquals(model.parameters().get(k)), k));
        assertTrue(r.out().startsWith("wrote " + out() + ": ARNNConv1D(hilbert=Spin(s=1/2, N=12)"), r.out());
        assertTrue(r.out().contains("initialised from seed 42"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void denseWithAListOfFeaturesImpliesTheLayerCount() throws IOException {
        Cli.run("init", "--kind", "dense", "--hilbert", "fock:3:6", "--features", "7,5,4", "--bias", "off",
                "--machine-pow", "1", "--out", out()).assertOk();
        ARNNConfig config = loaded().config();
        assertEquals(ARNNDense.builder(HilbertSpace.fock(3, 6)).layers(3).features(7, 5, 4).bias(false).machinePow(1f)
                .config(), config);
    }

    @Test
    void valuesSpaceAndDefaults() throws IOException {
        Cli.run("init", "--kind=conv1d", "--hilbert=values:-1,0,1:9", "--features=4", "--layers=2", "--out=" + out())
                .assertOk();
        // The defaults written out: kernel size 3, dilation 1, biases, machine_pow 2.
        assertEquals(ARNNConv1D.builder(HilbertSpace.ofLocalValues(9, -1, 0, 1)).layers(2).features(4).kernelSize(3)
                .dilation(1).bias(true).machinePow(2f).config(), loaded().config());
    }

    @Test
    void theSameSeedGivesTheSameFileAndAnotherSeedAnotherModel() throws IOException {
        String[] base = {"init", "--kind", "dense", "--hilbert", "spin:1/2:6", "--features", "3", "--layers", "2"};
        Cli.run(concat(base, "--seed", "5", "--out", dir.resolve("a.npz").toString())).assertOk();
        Cli.run(concat(base, "--seed", "5", "--out", dir.resolve("b.npz").toString())).assertOk();
        Cli.run(concat(base, "--seed", "6", "--out", dir.resolve("c.npz").toString())).assertOk();
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.npz")), Files.readAllBytes(dir.resolve("b.npz")));
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("a.npz")), Files.readAllBytes(dir.resolve("c.npz"))));
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    // ---------------------------------------------------------------- --params (NetKet parameter files)

    private static final String[] SMALL_CONV = {"init", "--kind", "conv1d", "--hilbert", "spin:1/2:6", "--features",
            "3", "--layers", "2"};

    private static ARNN smallConv() {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, 6)).layers(2).features(3).build(77);
    }

    @Test
    void paramsFromANetKetFileAreUsedInsteadOfTheSeed() throws IOException {
        ARNN netket = smallConv();
        Path params = dir.resolve("netket.npz");
        NpzArchive.write(params, netket.parameters());
        Cli r = Cli.run(concat(SMALL_CONV, "--params", params.toString(), "--out", out())).assertOk();
        assertTrue(r.out().contains("taken from " + params), r.out());
        ARNN model = loaded();
        Tensor sigma = netket.hilbert().randomConfigurations(9, 3);
        assertTrue(netket.conditionals(sigma).contentEquals(model.conditionals(sigma)));
    }

    @Test
    void paramsThatDoNotFitTheFlagsFailNamingTheKeyAndWriteNothing() throws IOException {
        Map<String, Tensor> params = new LinkedHashMap<>(smallConv().parameters());
        params.put("_layers_1/kernel", Tensor.zeros(3, 3, 3));
        Path file = dir.resolve("netket.npz");
        NpzArchive.write(file, params);
        Cli.run(concat(SMALL_CONV, "--params", file.toString(), "--out", out()))
                .assertFails(Main.FAILURE, file.toString(), "_layers_1/kernel: expected shape (3, 3, 2) but the file declares (3, 3, 3)");
        assertFalse(Files.exists(dir.resolve("model.npz")));

        params.remove("_layers_1/kernel");
        NpzArchive.write(file, params);
        Cli.run(concat(SMALL_CONV, "--params", file.toString(), "--out", out()))
                .assertFails(Main.FAILURE, "_layers_1/kernel: expected this parameter but it is missing");
    }

    @Test
    void paramsFileThatIsMissingOrCorruptFailsCleanly() throws IOException {
        Cli.run(concat(SMALL_CONV, "--params", dir.resolve("absent.npz").toString(), "--out", out()))
                .assertFails(Main.FAILURE, "absent.npz: no such file or directory");
        Path corrupt = dir.resolve("corrupt.npz");
        Files.writeString(corrupt, "PK\u0003\u0004 not really a zip");
        Cli.run(concat(SMALL_CONV, "--params", corrupt.toString(), "--out", out()))
                .assertFails(Main.FAILURE, "corrupt.npz: expected a zip archive");
        assertEquals(List.of("corrupt.npz"), listDir());
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---------------------------------------------------------------- usage errors

    /** Each row: the flags after {@code init} (with {@code OUT} for the output) and a fragment of the message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--hilbert spin:1/2:6 --features 3 --layers 2 --out OUT                  | missing --kind",
            "--kind rnn --hilbert spin:1/2:6 --features 3 --layers 2 --out OUT       | --kind: expected dense, conv1d or conv2d but got 'rnn'",
            "--kind dense --features 3 --layers 2 --out OUT                          | missing --hilbert SPEC",
            "--kind dense --hilbert spin:1/2 --features 3 --layers 2 --out OUT       | --hilbert: expected TYPE:LOCAL:N",
            "--kind dense --hilbert spin:2/3:6 --features 3 --layers 2 --out OUT     | --hilbert: s: expected a positive multiple of 1/2",
            "--kind dense --hilbert fock:3:x --features 3 --layers 2 --out OUT       | --hilbert: expected an integer for the number of sites N",
            "--kind dense --hilbert spin:1/2:6 --layers 2 --out OUT                  | missing --features F",
            "--kind dense --hilbert spin:1/2:6 --features 3 --out OUT                | missing --layers L",
            "--kind dense --hilbert spin:1/2:6 --features 3,x --out OUT              | --features: expected a width such as 16 or a list",
            "--kind dense --hilbert spin:1/2:6 --features 3,0,2 --out OUT            | --features: expected widths 1..2147483647 but got '3,0,2'",
            "--kind dense --hilbert spin:1/2:6 --features 3,3 --out OUT              | --features: expected the last entry to be the local size 2",
            "--kind dense --hilbert spin:1/2:6 --features 3,2 --layers 3 --out OUT   | --features: expected a list of length layers=3",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 0 --out OUT     | --layers: expected an integer 1..2147483647 but got '0'",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --kernel-size 3 --out OUT | --kernel-size: only a conv1d or conv2d model has one",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --dilation 2 --out OUT    | --dilation: only a conv1d or conv2d model has one",
            "--kind conv1d --hilbert spin:1/2:6 --features 3 --layers 2 --kernel-size 1 --out OUT | --kernel-size: expected >= 2",
            "--kind conv1d --hilbert spin:1/2:6 --features 3 --layers 2 --dilation 0 --out OUT   | --dilation: expected >= 1",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --bias maybe --out OUT    | --bias: expected on or off but got 'maybe'",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --machine-pow 0 --out OUT | --machine-pow: expected a finite value > 0",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --machine-pow two --out OUT | --machine-pow: expected a finite decimal number",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --seed x --out OUT        | --seed: expected an integer (64-bit) but got 'x'",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --seed 1 --params p.npz --out OUT | --seed and --params: give one",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2                | missing --out MODEL.npz",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --out model.npy | --out: expected a file name ending in .npz",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --out OUT --sites 5 | unknown option '--sites'",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --out OUT --layers 3 | --layers: given twice",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --out OUT extra | unexpected argument 'extra'",
            "--kind dense --hilbert spin:1/2:6 --features 3 --layers 2 --out           | --out: expected a value (MODEL.npz)",
            // Models that no command could load are refused before they are built (the loader's limits, long arithmetic).
            "--kind conv1d --hilbert spin:1/2:1000000000 --features 16 --layers 3 --out OUT | --hilbert: expected at most 268435456 activations per sample (ReadLimits.maxElements) but N=1000000000 sites times 16 features is 16000000000",
            "--kind dense --hilbert spin:1/2:4200 --features 16 --layers 2 --out OUT       | _layers_0/kernel: expected at most 268435456 elements per array (ReadLimits.maxElements) but this configuration's is (4200, 67200), 282240000 elements",
            "--kind dense --hilbert spin:1/2:1000000000 --features 16 --layers 2 --out OUT | a dense layer with N=1000000000, in=1, out=16 has more unmasked weights than a Java array can hold",
    })
    void badFlagsAreOneLineUsageErrorsAndWriteNothing(String flags, String expected) throws IOException {
        List<String> argv = new ArrayList<>(List.of("init"));
        for (String word : flags.split(" +")) {
            argv.add(word.equals("OUT") ? out() : word);
        }
        Cli.run(argv.toArray(String[]::new)).assertFails(Main.USAGE, expected, "(see jarnn init --help)");
        assertEquals(List.of(), listDir());
    }

    @Test
    void anOutputInAMissingDirectoryOrOnADirectoryIsARuntimeError() throws IOException {
        String[] base = {"init", "--kind", "dense", "--hilbert", "spin:1/2:6", "--features", "3", "--layers", "2", "--out"};
        Path missing = dir.resolve("no-such-dir").resolve("model.npz");
        Cli.run(concat(base, missing.toString())).assertFails(Main.FAILURE, "cannot write " + missing,
                "directory " + missing.getParent() + " does not exist");
        Path directory = Files.createDirectory(dir.resolve("taken.npz"));
        Cli.run(concat(base, directory.toString())).assertFails(Main.FAILURE, "cannot write " + directory,
                "it is a directory");
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Cli.run(concat(base, file.resolve("model.npz").toString())).assertFails(Main.FAILURE, "does not exist");
        assertEquals(List.of("plain-file", "taken.npz"), listDir());
    }
}
