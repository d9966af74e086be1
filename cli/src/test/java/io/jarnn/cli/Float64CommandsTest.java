package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.core.npy.Npy;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.DirectSampler64;
import io.jarnn.nn.Samples;
import io.jarnn.nn.Samples64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, the command line: a model computes in its own dtype (float64 when initialised with
 * {@code --dtype float64} or taken from a NetKet float64 export), {@code --dtype} converts
 * explicitly, and every output is written in the model's dtype, {@code '<f8'} for float64, bit
 * for bit what the library's {@link ARNN64} and {@link DirectSampler64} give.
 */
class Float64CommandsTest {
    @TempDir
    Path dir;

    /** The flags of {@link ModelFixtures#conv()}: conv1d, spin-1/2 on 8 sites. */
    private static final List<String> CONV_FLAGS = List.of("--kind", "conv1d", "--hilbert", "spin:1/2:8", "--layers",
            "2", "--features", "4", "--kernel-size", "3", "--dilation", "2");

    private static ARNNConfig convConfig(DType dtype) {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, 8)).layers(2).features(4).kernelSize(3).dilation(2)
                .dtype(dtype).config();
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private static String[] words(List<String> head, String... tail) {
        return Stream.concat(head.stream(), Stream.of(tail)).toArray(String[]::new);
    }

    private Cli init(String... extra) {
        List<String> head = new ArrayList<>(List.of("init"));
        head.addAll(CONV_FLAGS);
        return Cli.run(words(head, extra));
    }

    private Path inputs(NdArray configurations, String name) throws IOException {
        Path f = dir.resolve(name);
        Npy.write(f, configurations);
        return f;
    }

    /** The descr of a .npy file's header, e.g. {@code <f8}. */
    private static String descr(Path npy) throws IOException {
        byte[] header = new byte[128];
        try (InputStream in = Files.newInputStream(npy)) {
            in.readNBytes(header, 0, header.length);
        }
        String text = new String(header, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("'descr': '") + "'descr': '".length();
        return text.substring(at, text.indexOf('\'', at));
    }

    @Test
    void initFloat64ThenLogPsiConditionalsAndSampleWriteF8EqualToTheLibrarysBitForBit() throws IOException {
        Cli made = init("--seed", "21", "--dtype", "float64", "--out", file("m64.npz")).assertOk();
        assertTrue(made.out().startsWith("wrote " + file("m64.npz") + ": ARNNConv1D(hilbert=Spin(s=1/2, N=8), "),
                made.out());
        assertTrue(made.out().contains(", param_dtype=float64)\n"), made.out());
        ARNN64 expected = ARNN64.initialise(convConfig(DType.FLOAT64), 21);
        ARNN64 loaded = assertInstanceOf(ARNN64.class, ModelFiles.load(dir.resolve("m64.npz")),
                "the model file records float64");
        assertSameParameters(expected.parameters(), loaded.parameters());

        Tensor sigma = expected.hilbert().randomConfigurations(70, 3);
        Path in = inputs(sigma, "in.npy");
        Cli lp = Cli.run("logpsi", file("m64.npz"), "--inputs", in.toString(), "--out", file("lp.npy")).assertOk();
        assertEquals("wrote " + file("lp.npy") + ": float64 (70,), logPsi of " + in + "\n", lp.out());
        assertEquals("<f8", descr(dir.resolve("lp.npy")));
        assertTrue(expected.logPsi(sigma).contentEquals(Npy.read64(dir.resolve("lp.npy"))), "logPsi differs from ARNN64");

        Cli c = Cli.run("conditionals", file("m64.npz"), "--inputs", in.toString(), "--out", file("c.npy"),
                "--threads", "1").assertOk();
        assertEquals("wrote " + file("c.npy") + ": float64 (70, 8, 2), conditionals of " + in + "\n", c.out());
        assertEquals("<f8", descr(dir.resolve("c.npy")));
        assertTrue(expected.conditionals(sigma).contentEquals(Npy.read64(dir.resolve("c.npy"))),
                "conditionals differ from ARNN64");

        Cli s = Cli.run("sample", file("m64.npz"), "--samples", "300", "--seed", "9", "--log-prob", "--out",
                file("s.npy"), "--threads", "2").assertOk();
        assertEquals("wrote " + file("s.npy") + ": float64 (300, 8), seed 9\nwrote " + file("s.log_prob.npy")
                + ": float64 (300,), log-probabilities\n", s.out());
        assertEquals("<f8", descr(dir.resolve("s.npy")));
        assertEquals("<f8", descr(dir.resolve("s.log_prob.npy")));
        Samples64 drawn = DirectSampler64.of(expected).sample(300, 9, true);
        assertTrue(drawn.configurations().contentEquals(Npy.read64(dir.resolve("s.npy"))), "samples differ");
        assertTrue(drawn.logProbabilities().contentEquals(Npy.read64(dir.resolve("s.log_prob.npy"))),
                "log-probabilities differ");

        Cli summary = Cli.run("summary", file("m64.npz"), "--batch", "3").assertOk();
        assertTrue(summary.out().contains("inputs float64[3,8] (local values) -> conditionals float64[3,8,2]"),
                summary.out());
        assertTrue(summary.out().contains("bytes: stored float64."), summary.out());
    }

    private static void assertSameParameters(Map<String, Tensor64> expected, Map<String, Tensor64> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            assertTrue(expected.get(key).contentEquals(actual.get(key)), key + " differs");
        }
    }

    /**
     * A NetKet export with {@code param_dtype=float64} ({@code numpy.savez} of float64 arrays, no
     * configuration entry) becomes a float64 model file unless {@code --dtype float32} is asked.
     */
    @Test
    void aNetKetFloat64ExportLoadsAsFloat64UnlessFloat32IsAsked() throws IOException {
        ARNN64 trained = ARNN64.initialise(convConfig(DType.FLOAT64), 77);
        Path export = dir.resolve("netket.npz");
        NpzArchive.write(export, trained.parameters());

        Cli kept = init("--params", export.toString(), "--out", file("m64.npz")).assertOk();
        assertTrue(kept.out().contains("param_dtype=float64"), kept.out());
        ARNN64 asFloat64 = assertInstanceOf(ARNN64.class, ModelFiles.load(dir.resolve("m64.npz")));
        assertSameParameters(trained.parameters(), asFloat64.parameters());

        Cli narrowed = init("--params", export.toString(), "--dtype", "float32", "--out", file("m32.npz")).assertOk();
        assertFalse(narrowed.out().contains("param_dtype"), narrowed.out());
        ARNN asFloat32 = assertInstanceOf(ARNN.class, ModelFiles.load(dir.resolve("m32.npz")));
        ARNN rounded = trained.toSinglePrecision();
        for (Map.Entry<String, Tensor> e : rounded.parameters().entrySet()) {
            assertTrue(e.getValue().contentEquals(asFloat32.parameters().get(e.getKey())), e.getKey());
        }

        // The model commands follow the file, and --dtype converts there as well.
        Path in = inputs(trained.hilbert().randomConfigurations(5, 1), "in.npy");
        Cli.run("logpsi", file("m64.npz"), "--inputs", in.toString(), "--out", file("a.npy")).assertOk();
        assertEquals("<f8", descr(dir.resolve("a.npy")));
        Cli.run("logpsi", file("m64.npz"), "--inputs", in.toString(), "--out", file("b.npy"), "--dtype", "float32")
                .assertOk();
        assertEquals("<f4", descr(dir.resolve("b.npy")));
        assertTrue(rounded.logPsi(Npy.read(in)).contentEquals(Npy.read(dir.resolve("b.npy"))));
        Cli.run("logpsi", file("m32.npz"), "--inputs", in.toString(), "--out", file("c.npy"), "--dtype", "float64")
                .assertOk();
        assertEquals("<f8", descr(dir.resolve("c.npy")));
        assertTrue(rounded.toDoublePrecision().logPsi(Npy.read(in)).contentEquals(Npy.read64(dir.resolve("c.npy"))));
        Cli.run("summary", file("m32.npz"), "--dtype", "float64").assertOk();
    }

    /**
     * Narrowing refuses a parameter beyond float32 range, at init and in every model command,
     * naming the file and the parameter, and writes nothing.
     */
    @Test
    void aFloat64ParameterBeyondFloat32RangeIsRefusedWhenConvertingNamingTheFile() throws IOException {
        ARNN64 model = ARNN64.initialise(convConfig(DType.FLOAT64), 5);
        Map<String, Tensor64> parameters = new LinkedHashMap<>(model.parameters());
        parameters.get("_layers_1/bias").set(1e300, 1);
        Path export = dir.resolve("huge.npz");
        NpzArchive.write(export, parameters);
        init("--params", export.toString(), "--dtype", "float32", "--out", file("m32.npz")).assertFails(Main.FAILURE,
                export.toString(), "_layers_1/bias", "beyond float32 range");
        Path modelFile = dir.resolve("huge-model.npz");
        ModelFiles.save(modelFile, ARNN64.fromParameters(model.config(), parameters));
        Path in = inputs(model.hilbert().randomConfigurations(2, 1), "in.npy");
        String prefix = modelFile + ": cannot convert its float64 parameters to float32 (--dtype float32): ";
        Cli.run("logpsi", modelFile.toString(), "--inputs", in.toString(), "--out", file("o.npy"), "--dtype", "float32")
                .assertFails(Main.FAILURE, prefix, "_layers_1/bias", "1.0E300", "beyond float32 range");
        Cli.run("conditionals", modelFile.toString(), "--inputs", in.toString(), "--out", file("o.npy"), "--dtype",
                "float32").assertFails(Main.FAILURE, prefix);
        Cli.run("sample", modelFile.toString(), "--samples", "3", "--out", file("o.npy"), "--dtype", "float32")
                .assertFails(Main.FAILURE, prefix);
        Cli.run("summary", modelFile.toString(), "--dtype", "float32").assertFails(Main.FAILURE, prefix);
        assertEquals(List.of("huge-model.npz", "huge.npz", "in.npy"), ModelFixtures.list(dir));
    }

    /**
     * The same seed in both precisions. What must hold: each precision's samples are bit for bit
     * its own library sampler's, and both draw from the same random numbers. What need not: the
     * configurations themselves, because a site is drawn by comparing a uniform u with cumulative
     * conditionals, and the float32 and float64 conditionals differ in rounding (about 1e-7
     * relative), so a u within that distance of a boundary picks another state in one precision.
     * Here all 2000 rows agree (with either kernels), but another model, seed or kernel may
     * legitimately change a row, so the test asserts only that at least 99% of the rows agree
     * (unrelated streams would agree on few of them: the model's conditionals are far from
     * deterministic), and that the agreeing rows' log-probabilities agree to float32 rounding.
     */
    @Test
    void theSameSeedDrawsTheSameSamplesInBothPrecisionsUpToRounding() throws IOException {
        ARNN model32 = ModelFixtures.conv();
        Path m = ModelFixtures.save(dir, "m.npz", model32);
        int n = 2000;
        Cli.run("sample", m.toString(), "--samples", "" + n, "--seed", "4", "--log-prob", "--out", file("s32.npy"))
                .assertOk();
        Cli.run("sample", m.toString(), "--samples", "" + n, "--seed", "4", "--log-prob", "--out", file("s64.npy"),
                "--dtype", "float64").assertOk();
        Samples expected32 = DirectSampler.of(model32).sample(n, 4, true);
        Samples64 expected64 = DirectSampler64.of(model32.toDoublePrecision()).sample(n, 4, true);
        Tensor s32 = Npy.read(dir.resolve("s32.npy"));
        Tensor lp32 = Npy.read(dir.resolve("s32.log_prob.npy"));
        Tensor64 s64 = Npy.read64(dir.resolve("s64.npy"));
        Tensor64 lp64 = Npy.read64(dir.resolve("s64.log_prob.npy"));
        assertEquals("<f4", descr(dir.resolve("s32.npy")));
        assertEquals("<f8", descr(dir.resolve("s64.npy")));
        assertTrue(expected32.configurations().contentEquals(s32) && expected32.logProbabilities().contentEquals(lp32),
                "float32 samples differ from DirectSampler's");
        assertTrue(expected64.configurations().contentEquals(s64) && expected64.logProbabilities().contentEquals(lp64),
                "float64 samples differ from DirectSampler64's");

        int sites = model32.hilbert().size();
        int agreeing = 0;
        for (int r = 0; r < n; r++) {
            boolean same = true;
            for (int i = 0; i < sites; i++) {
                same &= s32.get(r, i) == s64.get(r, i);
            }
            if (same) {
                agreeing++;
                double a = lp32.get(r);
                double b = lp64.get(r);
                assertTrue(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)),
                        "row " + r + ": log p " + a + " (float32) vs " + b + " (float64)");
            }
        }
        assertTrue(agreeing >= 0.99 * n, agreeing + " of " + n + " rows agree");
    }

    /**
     * Configurations of any supported dtype work with models of either precision; a float64
     * element that is not a float32 number is no local value (rounding it could make one) and
     * is refused naming the file and the element.
     */
    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void inputsOfAnyDTypeWorkWithEitherPrecisionAndInexactFloat64ValuesAreRefused(String dtype) throws IOException {
        ARNN model32 = ModelFixtures.denseSpinOne();
        Path m = ModelFixtures.save(dir, "m.npz", model32);
        AutoregressiveModel model = model32.to(DType.parse("dtype", dtype));
        Tensor sigma = model32.hilbert().randomConfigurations(6, 8);
        Path f4 = inputs(sigma, "f4.npy");
        Path f8 = inputs(sigma.toDoublePrecision(), "f8.npy");
        for (Path in : List.of(f4, f8)) {
            for (String command : List.of("logpsi", "conditionals")) {
                Path out = dir.resolve(command + "-" + in.getFileName());
                Cli.run(command, m.toString(), "--inputs", in.toString(), "--out", out.toString(), "--dtype", dtype)
                        .assertOk();
                NdArray expected = command.equals("logpsi") ? model.logPsi(sigma) : model.conditionals(sigma);
                assertEquals(model.dtype().npyDescr(), descr(out));
                assertTrue(switch (expected) {
                    case Tensor t -> t.contentEquals(Npy.read(out));
                    case Tensor64 t -> t.contentEquals(Npy.read64(out));
                }, command + " of " + in);
            }
        }
        Tensor64 inexact = sigma.toDoublePrecision();
        inexact.set(2.0000000001, 4, 1);
        Path bad = inputs(inexact, "bad.npy");
        for (String command : List.of("logpsi", "conditionals")) {
            Cli.run(command, m.toString(), "--inputs", bad.toString(), "--out", file("o.npy"), "--dtype", dtype)
                    .assertFails(Main.FAILURE, bad + ": element [4, 1] is 2.0000000001 (float64), expected one of "
                            + "[2.0, 0.0, -2.0] (Spin(s=1, N=5)); it is not a float32 number, so no local value");
        }
        Tensor64 beyond = sigma.toDoublePrecision();
        beyond.set(1e300, 0, 0);
        Path huge = inputs(beyond, "huge.npy");
        Cli.run("logpsi", m.toString(), "--inputs", huge.toString(), "--out", file("o.npy"), "--dtype", dtype)
                .assertFails(Main.FAILURE, huge + ": element [0, 0] is 1.0E300 (float64), expected one of");
        Path wrongShape = inputs(Tensor64.zeros(2, 4), "shape.npy");
        Cli.run("logpsi", m.toString(), "--inputs", wrongShape.toString(), "--out", file("o.npy"), "--dtype", dtype)
                .assertFails(Main.FAILURE, wrongShape + ": expected shape (batch, 5) for Spin(s=1, N=5) but got (2, 4)");
        assertFalse(Files.exists(dir.resolve("o.npy")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"init", "summary", "logpsi", "conditionals", "sample"})
    void aBadDTypeNamesTheOptionAndTheAllowedValues(String command) throws IOException {
        Path m = ModelFixtures.save(dir, "m.npz", ModelFixtures.conv());
        Path in = inputs(ModelFixtures.conv().hilbert().randomConfigurations(2, 1), "in.npy");
        List<String> head = switch (command) {
            case "init" -> {
                List<String> words = new ArrayList<>(List.of("init"));
                words.addAll(CONV_FLAGS);
                words.addAll(List.of("--out", file("o.npz")));
                yield words;
            }
            case "summary" -> List.of("summary", m.toString());
            case "sample" -> List.of("sample", m.toString(), "--samples", "2", "--out", file("o.npy"));
            default -> List.of(command, m.toString(), "--inputs", in.toString(), "--out", file("o.npy"));
        };
        for (String value : List.of("float16", "double", "", "FLOAT")) {
            Cli.run(words(head, "--dtype", value)).assertFails(Main.USAGE,
                    "--dtype: expected float32 or float64 but got '" + value + "' (see jarnn " + command + " --help)");
        }
        Cli.run(words(head, "--dtype")).assertFails(Main.USAGE, "--dtype: expected a value (float32|float64)");
        assertEquals(List.of("in.npy", "m.npz"), ModelFixtures.list(dir));
        String help = Cli.run(command, "--help").assertOk().out();
        assertTrue(help.contains("--dtype float32|float64"), help);
        assertTrue(help.contains("float64 -> float32 rounds each"), help);
        assertTrue(help.contains("beyond float32 range"), help);
    }
}
