package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --kind conv2d --kernel-size h,w [--dilation dh,dw]}: {@code init} builds NetKet's
 * ARNNConv2D, the model file records it, and the commands that take a model ({@code summary},
 * {@code sample}, {@code logpsi}, {@code train --model}) use it; {@code train} builds one too.
 * Bad pairs, a missing kernel size and a lattice that is not square are one-line usage errors.
 */
class Conv2dCommandsTest {
    @TempDir
    Path dir;

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void initSummarySampleAndLogPsi() throws IOException {
        Cli r = Cli.run("init", "--kind", "conv2d", "--hilbert", "spin:1/2:16", "--layers", "3", "--features", "5",
                "--kernel-size", "3,2", "--dilation", "1,2", "--seed", "42", "--out", file("m.npz")).assertOk();
        ARNN expected = ARNNConv2D.builder(HilbertSpace.spin(0.5, 16)).layers(3).features(5).kernelSize(3, 2)
                .dilation(1, 2).build(42);
        assertEquals("wrote " + file("m.npz") + ": ARNNConv2D(hilbert=Spin(s=1/2, N=16), layers=3, features=[5, 5, 2], "
                + "kernel_size=(3, 2), kernel_dilation=(1, 2), use_bias=true, machine_pow=2.0)", r.out().lines().findFirst().orElseThrow());
        ARNN model = (ARNN) ModelFiles.load(dir.resolve("m.npz"));
        assertEquals(expected.config(), model.config());
        expected.parameters().forEach((k, t) -> assertTrue(t.contentEquals(model.parameters().get(k)), k));

        String summary = Cli.run("summary", file("m.npz"), "--batch", "8").assertOk().out();
        assertTrue(summary.contains("_layers_0  MaskedConv2D  float32[8,16,1]  float32[8,16,5]  kernel float32[3,2,1,5], bias float32[5]"),
                summary);

        Cli.run("sample", file("m.npz"), "--samples", "200", "--seed", "3", "--out", file("s.npy")).assertOk();
        Cli.run("logpsi", file("m.npz"), "--inputs", file("s.npy"), "--out", file("lp.npy")).assertOk();
        Tensor samples = Npy.read(dir.resolve("s.npy"));
        assertTrue(model.logPsi(samples).contentEquals(Npy.read(dir.resolve("lp.npy"))));
    }

    @Test
    void trainBuildsAndContinuesAConv2dModel() throws IOException {
        String[] system = {"train", "--hamiltonian", "ising:J=1,h=3", "--lattice", "square:3:open"};
        List<String> argv = new ArrayList<>(List.of(system));
        argv.addAll(List.of("--kind", "conv2d", "--layers", "2", "--features", "4", "--kernel-size", "2,3",
                "--samples", "64", "--steps", "2", "--optimizer", "sgd", "--seed", "1", "--out", file("t.npz")));
        Cli r = Cli.run(argv.toArray(String[]::new)).assertOk();
        assertTrue(r.out().contains("ARNNConv2D(hilbert=Spin(s=1/2, N=9), layers=2, features=[4, 2], kernel_size=(2, 3)"),
                r.out());
        assertTrue(ModelFiles.load(dir.resolve("t.npz")).config().toString().startsWith("ARNNConv2D("));
        List<String> more = new ArrayList<>(List.of(system));
        more.addAll(List.of("--model", file("t.npz"), "--samples", "64", "--steps", "1", "--out", file("t2.npz")));
        Cli.run(more.toArray(String[]::new)).assertOk();
    }

    /** Each row: the flags after {@code init}, and a fragment of the one-line message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--kind conv2d --hilbert spin:1/2:16 --features 3 --layers 2                       | missing --kernel-size h,w (a conv2d model's kernel, e.g. --kernel-size 3,2",
            "--kind conv2d --hilbert spin:1/2:16 --features 3 --layers 2 --kernel-size 3       | --kernel-size: expected a pair h,w for a conv2d model but got 3 (e.g. --kernel-size 3,2)",
            "--kind conv2d --hilbert spin:1/2:16 --features 3 --layers 2 --kernel-size 3,2 --dilation 2 | --dilation: expected a pair dh,dw for a conv2d model but got 2 (e.g. --dilation 1,1)",
            "--kind conv2d --hilbert spin:1/2:16 --features 3 --layers 2 --kernel-size 3,2,1   | --kernel-size: expected an integer such as 3 or a pair such as 3,2 but got '3,2,1'",
            "--kind conv2d --hilbert spin:1/2:16 --features 3 --layers 2 --kernel-size 3,x     | --kernel-size: expected an integer such as 3 or a pair such as 3,2 but got '3,x'",
            "--kind conv2d --hilbert spin:1/2:16 --features 3 --layers 2 --kernel-size 1,1     | --kernel-size: expected (h, w) both >= 1 and not (1, 1)",
            "--kind conv2d --hilbert spin:1/2:16 --features 3 --layers 2 --kernel-size 3,2 --dilation 0,1 | --dilation: expected (dh, dw) both >= 1 but got (0, 1)",
            "--kind conv2d --hilbert spin:1/2:12 --features 3 --layers 2 --kernel-size 3,2     | --hilbert: ARNNConv2D views the N sites as an L x L lattice, row by row, so expected N = L * L but got N=12",
            "--kind conv1d --hilbert spin:1/2:12 --features 3 --layers 2 --kernel-size 3,2     | --kernel-size: expected one integer K for a conv1d model but got 3,2 (pairs are for --kind conv2d)",
    })
    void badConv2dFlagsAreOneLineUsageErrorsAndWriteNothing(String flags, String expected) {
        List<String> argv = new ArrayList<>(List.of("init"));
        argv.addAll(List.of(flags.split(" +")));
        argv.addAll(List.of("--out", file("m.npz")));
        Cli.run(argv.toArray(String[]::new)).assertFails(Main.USAGE, expected);
        assertFalse(Files.exists(dir.resolve("m.npz")));
    }

    @Test
    void trainRefusesAConv2dModelOnALatticeThatIsNotSquare() {
        Cli.run("train", "--hamiltonian", "ising:J=1,h=1", "--lattice", "chain:10:open", "--kind", "conv2d", "--layers",
                "2", "--features", "4", "--kernel-size", "3,2", "--out", file("m.npz")).assertFails(Main.USAGE,
                "jarnn: --lattice: ARNNConv2D views the N sites as an L x L lattice, row by row, so expected N = L * L "
                        + "but got N=10");
    }
}
