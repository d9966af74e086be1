package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.nn.ARNN;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jarnn logpsi} and {@code jarnn conditionals}: same arguments, same checks, different outputs. */
class ModelInputCommandsTest {
    @TempDir
    Path dir;

    private final ARNN model = ModelFixtures.denseSpinOne();

    private Path modelFile() throws IOException {
        return ModelFixtures.save(dir, "model.npz", model);
    }

    private Path inputs(Tensor t) throws IOException {
        Path file = dir.resolve("inputs.npy");
        Npy.write(file, t);
        return file;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void logPsiEqualsTheLibrarysBitForBit() throws IOException {
        Tensor sigma = model.hilbert().randomConfigurations(70, 3);
        Cli r = Cli.run("logpsi", modelFile().toString(), "--inputs", inputs(sigma).toString(), "--out", file("lp.npy"))
                .assertOk();
        Tensor written = Npy.read(dir.resolve("lp.npy"));
        assertTrue(model.logPsi(sigma).contentEquals(written), "logPsi differs from ARNN.logPsi");
        assertEquals("wrote " + file("lp.npy") + ": float32 (70,), logPsi of " + file("inputs.npy") + "\n", r.out());
    }

    @Test
    void conditionalsEqualTheLibrarysBitForBit() throws IOException {
        Tensor sigma = model.hilbert().randomConfigurations(9, 4);
        Cli.run("conditionals", modelFile().toString(), "--inputs", inputs(sigma).toString(), "--out", file("c.npy"),
                "--threads", "1").assertOk();
        Tensor written = Npy.read(dir.resolve("c.npy"));
        assertArrayEquals(new int[]{9, 5, 3}, written.shape());
        assertTrue(model.conditionals(sigma).contentEquals(written), "conditionals differ from ARNN.conditionals");
    }

    @Test
    void integerInputsAsNumPyWritesThemAreAccepted() throws IOException {
        // np.save("inputs.npy", np.array([[2, 0, -2, 0, 2], [0, 0, 0, 0, 0]], dtype=np.int8))
        byte[] values = {2, 0, -2, 0, 2, 0, 0, 0, 0, 0};
        Path file = dir.resolve("int8.npy");
        Files.write(file, npy("|i1", "(2, 5)", values));
        Cli.run("logpsi", modelFile().toString(), "--inputs", file.toString(), "--out", file("lp.npy")).assertOk();
        Tensor sigma = Tensor.of(new float[][]{{2, 0, -2, 0, 2}, {0, 0, 0, 0, 0}});
        assertTrue(model.logPsi(sigma).contentEquals(Npy.read(dir.resolve("lp.npy"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"logpsi", "conditionals"})
    void inputsOfTheWrongShapeOrWithNonLocalValuesAreRejectedNamingTheFile(String command) throws IOException {
        String m = modelFile().toString();
        Path wrongWidth = inputs(Tensor.zeros(3, 4));
        Cli.run(command, m, "--inputs", wrongWidth.toString(), "--out", file("o.npy")).assertFails(Main.FAILURE,
                wrongWidth + ": expected shape (batch, 5) for Spin(s=1, N=5) but got (3, 4)");
        Path single = inputs(Tensor.zeros(5));
        Cli.run(command, m, "--inputs", single.toString(), "--out", file("o.npy")).assertFails(Main.FAILURE,
                "but got (5,)", "reshape it to (1, 5)");
        Tensor bad = model.hilbert().randomConfigurations(4, 1);
        bad.set(1f, 2, 3);
        Path nonLocal = inputs(bad);
        Cli.run(command, m, "--inputs", nonLocal.toString(), "--out", file("o.npy")).assertFails(Main.FAILURE,
                nonLocal + ": element [2, 3] is 1.0, expected one of [2.0, 0.0, -2.0]");
        assertEquals(List.of("inputs.npy", "model.npz"), ModelFixtures.list(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"logpsi", "conditionals"})
    void missingCorruptAndUnwritableFilesFailCleanly(String command) throws IOException {
        String m = modelFile().toString();
        Path in = inputs(model.hilbert().randomConfigurations(2, 1));
        Cli.run(command, m, "--inputs", file("absent.npy"), "--out", file("o.npy"))
                .assertFails(Main.FAILURE, "absent.npy: no such file or directory");
        Path corrupt = Files.write(dir.resolve("corrupt.npy"), "\u0093NUMPY garbage".getBytes(StandardCharsets.ISO_8859_1));
        Cli.run(command, m, "--inputs", corrupt.toString(), "--out", file("o.npy"))
                .assertFails(Main.FAILURE, corrupt.toString());
        Cli.run(command, m, "--inputs", m, "--out", file("o.npy")).assertFails(Main.FAILURE,
                m + ": expected a .npy array of configurations (numpy.save) but it is a zip archive (.npz)");
        Path missingDir = dir.resolve("absent").resolve("o.npy");
        Cli.run(command, m, "--inputs", in.toString(), "--out", missingDir.toString())
                .assertFails(Main.FAILURE, "cannot write " + missingDir, "does not exist");
        Cli.run(command, file("absent.npz"), "--inputs", in.toString(), "--out", file("o.npy"))
                .assertFails(Main.FAILURE, "absent.npz: no such file or directory");
        assertEquals(List.of("corrupt.npy", "inputs.npy", "model.npz"), ModelFixtures.list(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"logpsi", "conditionals"})
    void badFlagsAreUsageErrors(String command) throws IOException {
        String m = modelFile().toString();
        String in = inputs(model.hilbert().randomConfigurations(2, 1)).toString();
        Cli.run(command, m, "--out", file("o.npy")).assertFails(Main.USAGE, "missing --inputs FILE.npy");
        Cli.run(command, m, "--inputs", in).assertFails(Main.USAGE, "missing --out FILE.npy");
        Cli.run(command, m, "--inputs", in, "--out", in).assertFails(Main.USAGE,
                "--inputs and --out: expected different files");
        Cli.run(command, m, "--inputs", in, "--out", file("o.txt")).assertFails(Main.USAGE,
                "--out: expected a file name ending in .npy");
        Cli.run(command, m, "--inputs", in, "--out", file("o.npy"), "--samples", "3").assertFails(Main.USAGE,
                "unknown option '--samples'", "(see jarnn " + command + " --help)");
        assertEquals(List.of("inputs.npy", "model.npz"), ModelFixtures.list(dir));
    }

    /**
     * Issue 10, item 5: {@code ln -s g2.npy link2.npy; jarnn logpsi model.npz --inputs link2.npy
     * --out g2.npy} exited 0 and replaced the input data: the check compared path text only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"logpsi", "conditionals"})
    void anInputUnderAnotherNameIsNotOverwritten(String command) throws IOException {
        String m = modelFile().toString();
        Path g2 = inputs(model.hilbert().randomConfigurations(5, 2));
        byte[] before = Files.readAllBytes(g2);
        Path link = Files.createSymbolicLink(dir.resolve("link2.npy"), g2.getFileName());
        Cli.run(command, m, "--inputs", link.toString(), "--out", g2.toString()).assertFails(Main.USAGE,
                "--inputs and --out: expected different files but '" + link + "' and '" + g2 + "' are the same file");
        Cli.run(command, m, "--inputs", g2.toString(), "--out", link.toString()).assertFails(Main.USAGE,
                "are the same file");
        Path hard = Files.createLink(dir.resolve("hard.npy"), g2);
        Cli.run(command, m, "--inputs", hard.toString(), "--out", g2.toString()).assertFails(Main.USAGE,
                "are the same file");
        // The same directory reached through a link, and the model as the output.
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), dir);
        Cli.run(command, m, "--inputs", alias.resolve("inputs.npy").toString(), "--out", g2.toString())
                .assertFails(Main.USAGE, "are the same file");
        Path modelLink = Files.createSymbolicLink(dir.resolve("model-link.npy"), Path.of(m));
        Cli.run(command, m, "--inputs", g2.toString(), "--out", modelLink.toString()).assertFails(Main.USAGE,
                "MODEL and --out: expected different files");
        assertArrayEquals(before, Files.readAllBytes(g2), "the input is intact");
        assertEquals(List.of("alias", "hard.npy", "inputs.npy", "link2.npy", "model-link.npy", "model.npz"),
                ModelFixtures.list(dir));
    }

    /** A version 1.0 .npy file as numpy.save writes it. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.array());
        out.writeBytes(data);
        return out.toByteArray();
    }
}
