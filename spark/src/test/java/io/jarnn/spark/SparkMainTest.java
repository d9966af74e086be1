package io.jarnn.spark;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.io.ModelFiles;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.Samples;
import io.jarnn.vmc.VmcCheckpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark-submit entry point: shards a NumPy user concatenates, and one-line errors. */
class SparkMainTest {
    private static final int N = 700;
    private static ARNN model;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        LocalSpark.session();
        model = ARNNConv1D.builder(HilbertSpace.spin(0.5, 10)).layers(2).features(4).kernelSize(3).build(11);
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SparkMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sampleWritesShardsThatConcatenateToTheLocalSamplesAndEvaluateGivesTheirLogPsi() throws IOException {
        Path file = dir.resolve("m.npz");
        ModelFiles.save(file, model);
        Path out = dir.resolve("samples");
        Result r = run("sample", file.toString(), "--samples", "" + N, "--seed", "9", "--out", out.toString(),
                "--partitions", "3", "--master", LocalSpark.MASTER);
        assertEquals(0, r.status(), r.err());
        Samples local = model.sampler().sample(N, 9, true);
        float[] samples = new float[N * 10];
        float[] logProb = new float[N];
        int row = 0;
        for (int k = 0; k < 3; k++) {
            Tensor s = Npy.read(out.resolve(ShardDirectory.fileName("samples", k)));
            Tensor lp = Npy.read(out.resolve(ShardDirectory.fileName("log_prob", k)));
            System.arraycopy(s.array(), 0, samples, row * 10, s.size());
            System.arraycopy(lp.array(), 0, logProb, row, lp.size());
            row += lp.size();
        }
        assertEquals(N, row);
        assertFalse(Files.exists(out.resolve(ShardDirectory.fileName("samples", 3))));
        assertArrayEquals(local.configurations().array(), samples);
        assertArrayEquals(local.logProbabilities().array(), logProb);
        String manifest = Files.readString(out.resolve(ShardDirectory.MANIFEST));
        assertTrue(manifest.contains("\"samples\": \"samples-00002.npy\", \"log_prob\": \"log_prob-00002.npy\""),
                manifest);
        assertTrue(manifest.contains("\"rows\": " + N + ","), manifest);

        Path evaluated = dir.resolve("evaluated");
        r = run("evaluate", file.toString(), "--in", out.toString(), "--out", evaluated.toString(), "--master",
                LocalSpark.MASTER);
        assertEquals(0, r.status(), r.err());
        for (int k = 0; k < 3; k++) {
            Tensor s = Npy.read(out.resolve(ShardDirectory.fileName("samples", k)));
            assertArrayEquals(model.logPsi(s).array(), Npy.read(evaluated.resolve(ShardDirectory.fileName("log_psi", k)))
                    .array());
        }
    }

    @Test
    void trainWritesACheckpointThatTheNextRunResumes() throws IOException {
        Path file = dir.resolve("m.npz");
        ModelFiles.save(file, model);
        Path out = dir.resolve("trained.npz");
        String[] common = {"--hamiltonian", "ising:J=1,h=1", "--lattice", "chain:10:open", "--samples", "128",
                "--steps", "1", "--partitions", "2", "--master", LocalSpark.MASTER};
        Result r = run(concat(new String[]{"train", "--model", file.toString(), "--out", out.toString()}, common));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("step     1  E = "), r.out());
        assertEquals(1, VmcCheckpoint.load(out).step());
        r = run(concat(new String[]{"train", "--model", out.toString(), "--out", out.toString()}, common));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("1 steps from step 1"), r.out());
        assertEquals(2, VmcCheckpoint.load(out).step());
    }

    @Test
    void aBadHamiltonianIsOneLine() {
        Result r = run("train", "--model", "m.npz", "--out", "o.npz", "--hamiltonian", "ising:J=1", "--lattice",
                "chain:10:open", "--master", LocalSpark.MASTER);
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("jarnn-spark: ") && r.err().contains("h"), r.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void aMissingModelFileIsOneLine() {
        Result r = run("sample", dir.resolve("missing.npz").toString(), "--samples", "10", "--out",
                dir.resolve("o").toString(), "--master", LocalSpark.MASTER);
        assertEquals(SparkMain.FAILURE, r.status());
        assertEquals("jarnn-spark: " + dir.resolve("missing.npz") + ": no such model file\n", r.err());
    }

    @Test
    void aMasterThatCannotBeReachedIsOneLine() throws IOException {
        Path file = dir.resolve("m.npz");
        ModelFiles.save(file, model);
        // Port 1 on the loopback: nothing listens there, the connection is refused at once.
        Result r = run("sample", file.toString(), "--samples", "10", "--out", dir.resolve("o").toString(), "--master",
                "spark://127.0.0.1:1");
        assertEquals(SparkMain.USAGE, r.status(), r.err());
        assertTrue(r.err().startsWith("jarnn-spark: --master: cannot reach the Spark master spark://127.0.0.1:1: 127.0.0.1:1 ("),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void evaluateRefusesToWriteOverItsInput() throws IOException {
        Path file = dir.resolve("m.npz");
        ModelFiles.save(file, model);
        Result r = run("evaluate", file.toString(), "--in", dir.toString(), "--out", dir.resolve(".").toString(),
                "--master", LocalSpark.MASTER);
        assertEquals(SparkMain.USAGE, r.status(), r.err());
        assertEquals("jarnn-spark: --out: expected a directory other than --in (its manifest.json would be replaced)"
                + " but got " + dir.resolve(".") + "\n", r.err());
    }

    @Test
    void aMalformedLocalMasterIsOneLine() throws IOException {
        Path file = dir.resolve("m.npz");
        ModelFiles.save(file, model);
        Result r = run("sample", file.toString(), "--samples", "10", "--out", dir.resolve("o").toString(), "--master",
                "local[two]");
        assertEquals(SparkMain.USAGE, r.status(), r.err());
        assertEquals("jarnn-spark: --master: expected local, local[K], local[*] or local[K,F] but got 'local[two]'\n",
                r.err());
    }
}
