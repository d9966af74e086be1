package io.jarnn.properties;

import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.Workspace;
import io.jarnn.kernels.KernelCompleteness;
import io.jarnn.kernels.VectorKernels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Issue 4, property 8: a full forward gives bitwise the same result on 1 thread, on all cores
 * and on more threads than cores, and through a reused caller-owned workspace. The batch spans
 * five chunks and a partial one, so several workers really share it.
 *
 * <p>Bitwise equality across calls also needs every kernel to round the same way whether the
 * JIT has compiled it or not: {@link #vectorKernelsGiveTheSameBitsBeforeAndAfterCompilation}
 * checks that in a fresh JVM, where the first call is guaranteed to run in the interpreter.
 */
class ReproducibilityProperties {
    static final int FULL_CHUNKS = 5;

    @Test
    void resultsAreBitwiseTheSameForAnyThreadCount() {
        SuiteRunMode.qt(200).forAll(ArbitraryModels.models(), integers().between(2, 8), integers().between(0, 1000),
                longs().all()).checkAssert(ReproducibilityProperties::resultsAreBitwiseTheSameForAnyThreadCount);
    }

    private static void resultsAreBitwiseTheSameForAnyThreadCount(ModelSpec spec, int otherThreads, int extraRows,
                                                                  long inputSeed) {
        ARNN model = Build.model(spec);
        int cores = Runtime.getRuntime().availableProcessors();
        int batch = FULL_CHUNKS * model.chunkRows() + extraRows % model.chunkRows();
        Tensor x = Build.randomConfigurations(model.hilbert(), batch, inputSeed);
        Tensor single = model.withThreads(1).conditionalsLogPsi(x);

        ARNN allCores = model.withThreads(cores);
        requireBitwiseEqual(cores + " threads", single, allCores.conditionalsLogPsi(x), x, model.chunkRows());
        requireBitwiseEqual(otherThreads + " threads", single, model.withThreads(otherThreads).conditionalsLogPsi(x),
                x, model.chunkRows());

        Workspace workspace = allCores.newWorkspace();
        Tensor out = Tensor.zeros(single.shape());
        for (int call = 1; call <= 2; call++) {
            allCores.conditionalsLogPsi(x, out, workspace);
            requireBitwiseEqual(cores + " threads, reused workspace, call " + call, single, out, x, model.chunkRows());
        }
    }

    /**
     * The vector kernels give the same bits on their first call (interpreted: the Vector API's
     * Java fallback computes each lane) and after C2 compiled them (intrinsics). Otherwise a
     * model's results change bitwise during warm-up, and property 8 compares a call made before
     * a compilation with one made after it. The probe covers every kernel of the interface, and
     * so the three the sampler runs (accumulateTaps, selu, probabilityColumns).
     */
    @Test
    void vectorKernelsGiveTheSameBitsBeforeAndAfterCompilation() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Xbatch", "-cp", System.getProperty("java.class.path")));
        String vectorBits = System.getProperty("jarnn.vectorBits");
        if (vectorBits != null) {
            command.add("-Djarnn.vectorBits=" + vectorBits);
        }
        command.add(JitTierProbe.class.getName());
        Path log = Files.createTempFile("jarnn-jit-tier-probe", ".txt");
        try {
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!probe.waitFor(120, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                fail("the probe JVM did not finish within 120 s: " + command);
            }
            String output = Files.readString(log);
            if (probe.exitValue() != 0) {
                fail("the probe JVM exited with " + probe.exitValue() + ": " + command + "\n" + output);
            }
            requireNoDifferences(output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void requireNoDifferences(String output) {
        // The JVM's incubator-module warning goes to the same log; the probe's lines start with a count.
        List<String> lines = output.lines().filter(l -> l.matches("\\d+\\|.*")).toList();
        Set<String> probed = new TreeSet<>();
        StringBuilder differences = new StringBuilder();
        for (String line : lines) {
            String[] countAndText = line.split("\\|", 2);
            probed.add(countAndText[1].substring(0, countAndText[1].indexOf(':')));
            if (Integer.parseInt(countAndText[0]) != 0) {
                differences.append("\n  ").append(countAndText[1]);
            }
        }
        assertEquals(KernelCompleteness.kernelMethods(), probed, "kernels the JIT tier probe reported on, "
                + "one line each expected for every kernel of the interface; probe output:\n" + output);
        if (!differences.isEmpty()) {
            fail(VectorKernels.INSTANCE.name() + " rounds differently before and after JIT compilation ("
                    + JitTierProbe.WARM_UP_CALLS + " warm-up calls, -Xbatch)," + differences);
        }
    }

    private static void requireBitwiseEqual(String run, Tensor expected, Tensor actual, Tensor x, int chunkRows) {
        if (expected.contentEquals(actual)) {
            return;
        }
        int n = expected.dim(1);
        for (int b = 0; b < expected.dim(0); b++) {
            for (int i = 0; i < n; i++) {
                float[] e = ConditionalRows.conditional(expected, b, i);
                float[] a = ConditionalRows.conditional(actual, b, i);
                if (!ConditionalRows.bitwiseEqual(e, a)) {
                    fail("logPsi conditionals of shape (" + expected.dim(0) + ", " + n + ", " + expected.dim(2)
                            + "), row [" + b + ", " + i + ", :] (chunk " + b / chunkRows + " of " + chunkRows
                            + " rows): 1 thread gives " + ConditionalRows.text(e) + " but " + run + " give " + ConditionalRows.text(a)
                            + "; " + ConditionalRows.input(x, b));
                }
            }
        }
    }
}
