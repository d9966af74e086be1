package io.jarnn.cli;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.core.npy.Npy;
import io.jarnn.core.npy.NpzArchive;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.AutoregressiveModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jarnn gradient}: the .npz is the library's {@code logPsiGradient} and the Jacobian its
 * {@code toNetKetJacobian(logPsiJacobian(...))}, byte for byte, in the model's dtype; the
 * cotangent weighs the sum; flax's order holds on a model whose layer names sort out of numeric
 * order; bad cotangents and clashing outputs are refused with nothing written.
 */
class GradientCommandTest {
    @TempDir
    Path dir;

    /** Dense spin-1: masked kernel entries, three local states, machinePow 1.5. */
    private static AutoregressiveModel model(String dtype) {
        ARNN model = ModelFixtures.denseSpinOne();
        return dtype.equals("float64") ? model.toDoublePrecision() : model;
    }

    private Path save(AutoregressiveModel model) throws IOException {
        return ModelFixtures.save(dir, "model.npz", model);
    }

    private Path write(String name, NdArray array) throws IOException {
        Path file = dir.resolve(name);
        Npy.write(file, array);
        return file;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }

    /** The bytes NpzArchive writes for {@code arrays}: what the command's .npz must be. */
    private byte[] npzBytes(Map<String, ? extends NdArray> arrays) throws IOException {
        Path expected = dir.resolve("expected").resolve("e.npz");
        Files.createDirectories(expected.getParent());
        NpzArchive.write(expected, arrays);
        byte[] b = Files.readAllBytes(expected);
        Files.delete(expected);
        Files.delete(expected.getParent());
        return b;
    }

    private static byte[] npyBytes(NdArray array) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, array);
        return out.toByteArray();
    }

    private static NdArray toNetKetJacobian(AutoregressiveModel model, NdArray jacobian) {
        return switch (model) {
            case ARNN m -> m.toNetKetJacobian((Tensor) jacobian);
            case ARNN64 m -> m.toNetKetJacobian((Tensor64) jacobian);
        };
    }

    private static NdArray constant(int batch, double c, DType dtype) {
        double[] values = new double[batch];
        Arrays.fill(values, c);
        return Tensor64.wrap(values, batch).to(dtype);
    }

    private static Tensor64 weights(int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] c = new double[batch];
        for (int b = 0; b < batch; b++) {
            c[b] = random.nextDouble(-2, 2);
        }
        return Tensor64.wrap(c, batch);
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void theGradientIsTheLibrarysBitForBitInNetKetsNamesAndShapes(String dtype) throws IOException {
        AutoregressiveModel model = model(dtype);
        Tensor sigma = model.hilbert().randomConfigurations(150, 5);
        Path m = save(model);
        Path in = write("x.npy", sigma);
        Cli r = Cli.run("gradient", m.toString(), "--inputs", in.toString(), "--out", file("g.npz")).assertOk();
        Map<String, ? extends NdArray> expected = model.logPsiGradient(sigma, constant(150, 1, model.dtype()));
        assertArrayEquals(npzBytes(expected), bytes("g.npz"), "the .npz is NpzArchive's of logPsiGradient");
        Map<String, NdArray> written = NpzArchive.read(dir.resolve("g.npz")).storedArrays();
        assertEquals(List.copyOf(model.parameters().keySet()), List.copyOf(written.keySet()), "NetKet's names");
        for (Map.Entry<String, ? extends NdArray> e : model.parameters().entrySet()) {
            assertArrayEquals(e.getValue().shape(), written.get(e.getKey()).shape(), e.getKey());
            assertEquals(model.dtype(), written.get(e.getKey()).dtype(), e.getKey());
        }
        long entries = model.parameterLayout().flaxSize();
        assertEquals("wrote " + file("g.npz") + ": " + dtype + ", 4 arrays in NetKet's names and shapes (" + entries
                + " entries), the gradient of sum_b logPsi(sigma_b) over the 150 configurations of " + in + "\n",
                r.out());
    }

    /**
     * The Jacobian is streamed in blocks of whole chunks; a block budget of one byte makes every
     * block one chunk ({@code chunkRows} rows), so 150 rows take several blocks, and the file is
     * still the library's Jacobian of the whole batch.
     */
    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void theJacobianIsToNetKetJacobianOfTheLibrarysBitForBit(String dtype) throws IOException {
        AutoregressiveModel model = model(dtype);
        Tensor sigma = model.hilbert().randomConfigurations(150, 6);
        Path m = save(model);
        Path in = write("x.npy", sigma);
        byte[] expected = npyBytes(toNetKetJacobian(model, model.logPsiJacobian(sigma)));
        Cli r = Cli.run("gradient", m.toString(), "--inputs", in.toString(), "--out", file("g.npz"), "--jacobian",
                file("j.npy")).assertOk();
        assertArrayEquals(expected, bytes("j.npy"), "one block");
        assertTrue(r.out().endsWith("wrote " + file("j.npy") + ": " + dtype + " (150, "
                + model.parameterLayout().flaxSize() + "), the Jacobian of logPsi, columns in flax's ravel_pytree "
                + "order\n"), r.out());
        for (String threads : new String[]{"1", "2"}) {
            GradientCommand command = new GradientCommand(new PrintStream(OutputStream.nullOutputStream()));
            command.jacobianBlockBytes = 1;
            assertNull(runDirectly(command, m.toString(), "--inputs", in.toString(), "--out",
                    file("g2.npz"), "--jacobian", file("j2.npy"), "--threads", threads));
            assertArrayEquals(expected, bytes("j2.npy"), "blocks of whole chunks on " + threads + " threads");
        }
        int chunkRows = model instanceof ARNN a ? a.chunkRows() : ((ARNN64) model).chunkRows();
        assertTrue(GradientCommand.blockRows(150, chunkRows, 10, 4, 1) < 150, "several blocks were written");
    }

    @Test
    void blocksAreWholeChunksWithinTheBudgetAndFitOneArray() {
        assertEquals(64, GradientCommand.blockRows(1000, 64, 100, 4, 1), "at least one chunk");
        assertEquals(1000, GradientCommand.blockRows(1000, 64, 100, 4, 64L << 20), "the whole batch");
        assertEquals(64 * 40, GradientCommand.blockRows(100_000, 64, 1024, 8, 64 * 1024 * 8 * 40L + 100));
        assertEquals(64 * 2, GradientCommand.blockRows(100_000, 64, 1 << 18, 4, 128L << 20));
        assertEquals(7, GradientCommand.blockRows(7, 64, 100, 4, 1));
        // 2^26 entries per chunk: 31 chunks fit an array, whatever the budget.
        assertEquals(31 * 64, GradientCommand.blockRows(100_000, 64, 1 << 20, 4, 1L << 40));
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void theCotangentWeighsEachConfiguration(String dtype) throws IOException {
        AutoregressiveModel model = model(dtype);
        int batch = 90;
        Tensor sigma = model.hilbert().randomConfigurations(batch, 7);
        String m = save(model).toString();
        String in = write("x.npy", sigma).toString();
        Cli.run("gradient", m, "--inputs", in, "--out", file("g1.npz"), "--jacobian", file("j1.npy")).assertOk();
        Path twos = write("twos.npy", constant(batch, 2, model.dtype()));
        Cli.run("gradient", m, "--inputs", in, "--out", file("g2.npz"), "--cotangent", twos.toString()).assertOk();
        Map<String, NdArray> once = NpzArchive.read(dir.resolve("g1.npz")).storedArrays();
        Map<String, NdArray> twice = NpzArchive.read(dir.resolve("g2.npz")).storedArrays();
        for (String key : once.keySet()) {
            NdArray a = once.get(key);
            NdArray b = twice.get(key);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(2 * a.getDouble(i), b.getDouble(i), 0, key + "[" + i + "]: c = 2 doubles it exactly");
            }
        }

        // Weights of either file dtype: rows of J weighted by c sum to the gradient, in flax's order.
        Tensor64 c = weights(batch, 8);
        Path cFile = write("c.npy", c);
        Cli r = Cli.run("gradient", m, "--inputs", in, "--out", file("gc.npz"), "--cotangent", cFile.toString(),
                "--jacobian", file("jc.npy")).assertOk();
        assertTrue(r.out().contains("the gradient of sum_b c_b logPsi(sigma_b) over the 90 configurations of " + in
                + ", c from " + cFile + "\n"), r.out());
        assertArrayEquals(bytes("j1.npy"), bytes("jc.npy"), "the Jacobian is not weighted");
        NdArray cInModel = c.to(model.dtype());
        assertArrayEquals(npzBytes(model.logPsiGradient(sigma, cInModel)), bytes("gc.npz"),
                "the library's gradient with the file's weights in the model's dtype");
        Map<String, NdArray> weighted = NpzArchive.read(dir.resolve("gc.npz")).storedArrays();
        List<String> flaxOrder = weighted.keySet().stream().sorted().toList();
        List<Double> raveled = new ArrayList<>();
        for (String key : flaxOrder) {
            NdArray g = weighted.get(key);
            for (int i = 0; i < g.size(); i++) {
                raveled.add(g.getDouble(i));
            }
        }
        Tensor64 jacobian = Npy.read64(dir.resolve("jc.npy"));
        int p = jacobian.dim(1);
        assertEquals(raveled.size(), p);
        double eps = model.dtype() == DType.FLOAT32 ? 1e-5 : 1e-13;
        for (int e = 0; e < p; e++) {
            double sum = 0;
            double scale = 0;
            for (int b = 0; b < batch; b++) {
                double term = cInModel.getDouble(b) * jacobian.getDouble(b * p + e);
                sum += term;
                scale += Math.abs(term);
            }
            assertEquals(sum, raveled.get(e), eps * scale + 1e-30, "column " + e + ": (c @ J)[e] vs the gradient");
        }
    }

    /**
     * Golden check of flax's order on a model of 11 layers, whose names sort
     * {@code _layers_0, _layers_1, _layers_10, _layers_2, ...}: the columns of the Jacobian are the
     * gradient arrays raveled in that (hand-written) order, and every masked dense entry is a zero
     * column.
     */
    @Test
    void jacobianColumnsFollowFlaxsOrderWithLayersTenBeforeTwo() throws IOException {
        ARNN model = ARNNDense.builder(HilbertSpace.spin(0.5, 3)).layers(11).features(2).build(31);
        String m = save(model).toString();
        Tensor one = Tensor.of(new float[][]{{1, -1, 1}});
        String in = write("x.npy", one).toString();
        Cli.run("gradient", m, "--inputs", in, "--out", file("g.npz"), "--jacobian", file("j.npy")).assertOk();
        List<String> flaxOrder = new ArrayList<>();
        for (String layer : new String[]{"0", "1", "10", "2", "3", "4", "5", "6", "7", "8", "9"}) {
            flaxOrder.add("_layers_" + layer + "/bias");
            flaxOrder.add("_layers_" + layer + "/kernel");
        }
        assertEquals(flaxOrder, model.parameterLayout().flaxKeys());
        Map<String, NdArray> gradient = NpzArchive.read(dir.resolve("g.npz")).storedArrays();
        Tensor jacobian = Npy.read(dir.resolve("j.npy"));
        int column = 0;
        for (String key : flaxOrder) {
            NdArray g = gradient.get(key);
            // One configuration, weight 1: its Jacobian row is the gradient.
            for (int i = 0; i < g.size(); i++, column++) {
                assertEquals(g.getDouble(i), jacobian.getFlat(column), 1e-6 * Math.abs(g.getDouble(i)),
                        key + "[" + i + "] at column " + column);
            }
        }
        assertEquals(jacobian.dim(1), column, "no column left over");
        // _layers_0/kernel (3*1, 3*2): block (i, j) = rows i, columns 2j..2j+1, used only when i < j.
        int kernel0 = 6; // after _layers_0/bias, (3, 2)
        assertEquals(kernel0, model.parameterLayout().flaxOffset("_layers_0/kernel"));
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 6; col++) {
                int j = col / 2;
                if (r >= j) {
                    assertEquals(0f, jacobian.getFlat(kernel0 + r * 6 + col), "masked _layers_0/kernel[" + r + ", "
                            + col + "] is a zero column");
                }
            }
        }
        assertTrue(jacobian.getFlat(kernel0 + 1) != 0 || jacobian.getFlat(kernel0 + 2) != 0,
                "used entries of _layers_0/kernel are not all zero");
    }

    @Test
    void threadsDoNotChangeABit() throws IOException {
        AutoregressiveModel model = ModelFixtures.conv();
        String m = save(model).toString();
        String in = write("x.npy", model.hilbert().randomConfigurations(300, 9)).toString();
        String c = write("c.npy", weights(300, 10)).toString();
        Cli.run("gradient", m, "--inputs", in, "--cotangent", c, "--out", file("g1.npz"), "--jacobian", file("j1.npy"),
                "--threads", "1").assertOk();
        Cli.run("gradient", m, "--inputs", in, "--cotangent", c, "--out", file("g2.npz"), "--jacobian", file("j2.npy"),
                "--threads", "2").assertOk();
        assertArrayEquals(bytes("g1.npz"), bytes("g2.npz"), "gradient");
        assertArrayEquals(bytes("j1.npy"), bytes("j2.npy"), "Jacobian");
    }

    @Test
    void dtypeConvertsTheModelFirst() throws IOException {
        ARNN model = ModelFixtures.denseSpinOne();
        Tensor sigma = model.hilbert().randomConfigurations(20, 11);
        String m = save(model).toString();
        String in = write("x.npy", sigma).toString();
        Cli r = Cli.run("gradient", m, "--inputs", in, "--out", file("g.npz"), "--jacobian", file("j.npy"), "--dtype",
                "float64").assertOk();
        ARNN64 wide = model.toDoublePrecision();
        assertArrayEquals(npzBytes(wide.logPsiGradient(sigma, constant(20, 1, DType.FLOAT64))), bytes("g.npz"));
        assertArrayEquals(npyBytes(wide.toNetKetJacobian(wide.logPsiJacobian(sigma))), bytes("j.npy"));
        assertTrue(r.out().contains(": float64, 4 arrays"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void badCotangentsAreRefusedNamingTheFileWithNothingWritten(String dtype) throws IOException {
        AutoregressiveModel model = model(dtype);
        String m = save(model).toString();
        String in = write("x.npy", model.hilbert().randomConfigurations(4, 1)).toString();
        String[] run = {"gradient", m, "--inputs", in, "--out", file("g.npz"), "--jacobian", file("j.npy"),
                "--cotangent"};
        Path short3 = write("short.npy", Tensor.wrap(new float[]{1, 2, 3}, 3));
        Cli.run(concat(run, short3.toString())).assertFails(Main.FAILURE,
                short3 + ": expected shape (4,), one weight per configuration of " + in + ", but got (3,)");
        Path column = write("column.npy", Tensor.wrap(new float[]{1, 2, 3, 4}, 4, 1));
        Cli.run(concat(run, column.toString())).assertFails(Main.FAILURE,
                column + ": expected shape (4,)", "but got (4, 1)");
        Path nan = write("nan.npy", Tensor.wrap(new float[]{1, 2, Float.NaN, 4}, 4));
        Cli.run(concat(run, nan.toString())).assertFails(Main.FAILURE,
                nan + ": element [2] is NaN, expected finite weights");
        Path inf = write("inf.npy", Tensor64.wrap(new double[]{1, Double.NEGATIVE_INFINITY, 3, 4}, 4));
        Cli.run(concat(run, inf.toString())).assertFails(Main.FAILURE,
                inf + ": element [1] is -Infinity, expected finite weights");
        Path huge = write("huge.npy", Tensor64.wrap(new double[]{1, 2, 3, 1e300}, 4));
        Cli hugeRun = Cli.run(concat(run, huge.toString()));
        if (model.dtype() == DType.FLOAT32) {
            hugeRun.assertFails(Main.FAILURE, huge + ": element [3] is 1.0E300, beyond float32 range",
                    "use --dtype float64");
        } else {
            hugeRun.assertOk();
            Files.delete(dir.resolve("g.npz"));
            Files.delete(dir.resolve("j.npy"));
        }
        Cli.run(concat(run, m)).assertFails(Main.FAILURE,
                m + ": expected a .npy array of weights (numpy.save) but it is a zip archive (.npz)");
        Cli.run(concat(run, file("absent.npy"))).assertFails(Main.FAILURE, "absent.npy: no such file or directory");
        assertEquals(List.of("column.npy", "huge.npy", "inf.npy", "model.npz", "nan.npy", "short.npy", "x.npy"),
                ModelFixtures.list(dir));
    }

    /** Finite weights can still overflow the model's precision: an error naming the entry, and no file. */
    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void aGradientBeyondTheDtypeIsAnErrorNotAFile(String dtype) throws IOException {
        AutoregressiveModel model = model(dtype);
        String m = save(model).toString();
        String in = write("x.npy", model.hilbert().randomConfigurations(4, 1)).toString();
        double huge = model.dtype() == DType.FLOAT32 ? 3e38 : 1.7e308;
        String c = write("c.npy", constant(4, huge, model.dtype())).toString();
        Cli.run("gradient", m, "--inputs", in, "--cotangent", c, "--out", file("g.npz"), "--jacobian", file("j.npy"))
                .assertFails(Main.FAILURE, "the gradient is not finite: flat entry", "NetKet index");
        assertEquals(List.of("c.npy", "model.npz", "x.npy"), ModelFixtures.list(dir));
    }

    @Test
    void badInputsAndClashingFilesAreRefusedWithNothingWritten() throws IOException {
        AutoregressiveModel model = model("float32");
        String m = save(model).toString();
        String in = write("x.npy", model.hilbert().randomConfigurations(4, 1)).toString();
        String c = write("c.npy", constant(4, 1, DType.FLOAT32)).toString();
        Path wrongWidth = write("wide.npy", Tensor.zeros(2, 4));
        Cli.run("gradient", m, "--inputs", wrongWidth.toString(), "--out", file("g.npz")).assertFails(Main.FAILURE,
                wrongWidth + ": expected shape (batch, 5) for Spin(s=1, N=5) but got (2, 4)");
        Cli.run("gradient", m, "--out", file("g.npz")).assertFails(Main.USAGE, "missing --inputs FILE.npy");
        Cli.run("gradient", m, "--inputs", in).assertFails(Main.USAGE, "missing --out FILE.npz");
        Cli.run("gradient", m, "--inputs", in, "--out", file("g.npy")).assertFails(Main.USAGE,
                "--out: expected a file name ending in .npz but got");
        Cli.run("gradient", m, "--inputs", in, "--out", file("g.npz"), "--jacobian", file("j.npz"))
                .assertFails(Main.USAGE, "--jacobian: expected a file name ending in .npy but got");
        Cli.run("gradient", m, "--inputs", in, "--out", m).assertFails(Main.USAGE,
                "MODEL and --out: expected different files");
        Cli.run("gradient", m, "--inputs", in, "--out", file("g.npz"), "--jacobian", in).assertFails(Main.USAGE,
                "--inputs and --jacobian: expected different files");
        Cli.run("gradient", m, "--inputs", in, "--out", file("g.npz"), "--cotangent", c, "--jacobian", c)
                .assertFails(Main.USAGE, "--cotangent and --jacobian: expected different files");
        Path link = Files.createSymbolicLink(dir.resolve("link.npz"), dir.resolve("model.npz").getFileName());
        Cli.run("gradient", m, "--inputs", in, "--out", link.toString()).assertFails(Main.USAGE,
                "MODEL and --out: expected different files but", "are the same file");
        Path jLink = Files.createSymbolicLink(dir.resolve("j-link.npy"), dir.resolve("x.npy").getFileName());
        Cli.run("gradient", m, "--inputs", in, "--out", file("g.npz"), "--jacobian", jLink.toString())
                .assertFails(Main.USAGE, "--inputs and --jacobian: expected different files", "are the same file");
        Path cLink = Files.createSymbolicLink(dir.resolve("c-link.npz"), dir.resolve("c.npy").getFileName());
        Cli.run("gradient", m, "--inputs", in, "--out", cLink.toString(), "--cotangent", c).assertFails(Main.USAGE,
                "--cotangent and --out: expected different files");
        Path old = Files.writeString(dir.resolve("old.npz"), "previous gradient");
        Path oldLink = Files.createSymbolicLink(dir.resolve("old-link.npy"), old.getFileName());
        Cli.run("gradient", m, "--inputs", in, "--out", old.toString(), "--jacobian", oldLink.toString())
                .assertFails(Main.USAGE, "--out and --jacobian: expected different files", "are the same file");
        Cli.run("gradient", m, "--inputs", in, "--out", file("g.npz"), "--samples", "3").assertFails(Main.USAGE,
                "unknown option '--samples'", "(see jarnn gradient --help)");
        assertEquals("previous gradient", Files.readString(old));
        assertEquals(List.of("c-link.npz", "c.npy", "j-link.npy", "link.npz", "model.npz", "old-link.npy", "old.npz",
                        "wide.npy", "x.npy"),
                ModelFixtures.list(dir));
    }

    /**
     * With --jacobian the two files are one set: a disk that fills while the new Jacobian is
     * written leaves the previous gradient and Jacobian as they were, and no temporary or lock file.
     */
    @Test
    void aFailureWhileWritingLeavesThePreviousPair() throws IOException {
        AutoregressiveModel model = model("float32");
        String m = save(model).toString();
        String in = write("x.npy", model.hilbert().randomConfigurations(40, 2)).toString();
        Cli.run("gradient", m, "--inputs", in, "--out", file("g.npz"), "--jacobian", file("j.npy")).assertOk();
        byte[] oldGradient = bytes("g.npz");
        byte[] oldJacobian = bytes("j.npy");
        String twos = write("twos.npy", constant(40, 2, DType.FLOAT32)).toString();
        for (int failing = 0; failing < 2; failing++) {
            int failingStream = failing;
            GradientCommand command = new GradientCommand(new PrintStream(OutputStream.nullOutputStream()));
            AtomicInteger streams = new AtomicInteger();
            command.outputFilter = out -> streams.getAndIncrement() == failingStream ? fillsUpAfter(out, 200) : out;
            Exception e = runDirectly(command, m, "--inputs", in, "--cotangent", twos, "--out", file("g.npz"),
                    "--jacobian", file("j.npy"));
            assertTrue(e instanceof IOException && ErrorMessages.describe(e).contains("No space left on device"),
                    String.valueOf(e));
            assertArrayEquals(oldGradient, bytes("g.npz"), "the previous gradient, stream " + failing + " failing");
            assertArrayEquals(oldJacobian, bytes("j.npy"), "the previous Jacobian, stream " + failing + " failing");
            assertEquals(List.of("g.npz", "j.npy", "model.npz", "twos.npy", "x.npy"), ModelFixtures.list(dir),
                    "no temporary or lock file");
        }
    }

    @Test
    void helpSaysWhatIsWrittenAndBothOrders() {
        String help = Cli.run("gradient", "--help").assertOk().out().replaceAll("\\s+", " ");
        for (String phrase : new String[]{
                "usage: jarnn gradient MODEL --inputs FILE.npy --out FILE.npz [--cotangent FILE.npy] "
                        + "[--jacobian FILE.npy] [--dtype float32|float64] [--threads T]",
                "the gradient of sum_b c_b logPsi(sigma_b) with respect to the parameters, c_b = 1 unless "
                        + "--cotangent gives them",
                "NetKet's names and shapes as flatten_dict(params, sep=\"/\") gives them",
                "masked dense kernel entries are 0",
                "(batch, P), P the entries of NetKet's arrays (not weighted by --cotangent)",
                "that of jax.flatten_util.ravel_pytree(params): keys sorted as strings (_layers_10 before "
                        + "_layers_2, bias before kernel), each array in C order; masked dense kernel entries are "
                        + "zero columns",
                "in the model's dtype (float32 '<f4' or float64 '<f8'; see --dtype)",
                "the results do not depend on --threads"}) {
            assertTrue(help.contains(phrase), () -> "'" + phrase + "' in:\n" + help);
        }
    }

    private static Exception runDirectly(GradientCommand command, String... args) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        new CommandLine(command).setExecutionExceptionHandler((e, c, parsed) -> {
            failure.set(e);
            return Main.FAILURE;
        }).execute(args);
        return failure.get();
    }

    /** An output stream whose device fills up after {@code limit} bytes. */
    private static OutputStream fillsUpAfter(OutputStream out, long limit) {
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > limit) {
                    throw new IOException("No space left on device");
                }
                out.write(b, off, len);
            }
        };
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
