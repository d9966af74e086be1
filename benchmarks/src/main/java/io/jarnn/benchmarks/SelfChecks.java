package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;

import java.util.Map;
import java.util.TreeMap;

import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Checks each benchmark runs once in its {@code @Setup}, so that a broken kernel, a wrong
 * flop count or the scalar fallback can never be measured silently. Failures throw
 * {@link IllegalStateException}, which makes JMH report the benchmark as failed.
 */
final class SelfChecks {
    private SelfChecks() {
    }

    /** Prints the kernels a vector benchmark will measure and refuses to go on with the scalar ones. */
    static void requireVectorKernels(Kernels kernels, String benchmark) {
        System.out.println("# jarnn kernels: " + kernels.name() + " (active: " + Kernels.active().name() + ")");
        if (!kernels.name().startsWith("vector")) {
            throw new IllegalStateException(benchmark + ": expected the vector kernels but " + kernels.name()
                    + " is selected (-Djarnn.kernels, or a preferred species under 4 lanes); refusing to measure it");
        }
    }

    /** Prints the kernels for benchmarks that do not depend on them (they still say what the JVM chose). */
    static void printKernels() {
        System.out.println("# jarnn kernels: " + Kernels.active().name());
    }

    /** The benchmark's parameters as a map, the form {@code usefulFlopsPerOp} and the report share. */
    static Map<String, String> params(BenchmarkParams params) {
        Map<String, String> map = new TreeMap<>();
        for (String key : params.getParamsKeys()) {
            map.put(key, params.getParam(key));
        }
        return map;
    }

    /**
     * The flop count the report will compute from the JSON's parameters must equal 2 x the
     * multiply-adds of the layer or model this run measures: both come from the library, so a
     * mismatch means the parameters describe another model than the one benchmarked.
     */
    static void requireFlops(String benchmark, long fromParams, long fromMeasured) {
        if (fromParams != fromMeasured) {
            throw new IllegalStateException(benchmark + ": usefulFlopsPerOp gives " + fromParams
                    + " but the measured model's multiplyAddsPerSample gives " + fromMeasured + " flops per op");
        }
    }

    /** Elements [off, off + n) of two arrays must be bitwise equal (same fma order in both kernels). */
    static void requireBitwiseEqual(String what, float[] expected, float[] actual, int n) {
        for (int i = 0; i < n; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new IllegalStateException(what + ": element " + i + " of " + n + " expected " + expected[i]
                        + " (scalar reference) but got " + actual[i]);
            }
        }
    }

    /** |expected - actual| <= bound at one element, with the bound in the message. */
    static void requireWithin(String what, String index, double expected, double actual, double bound) {
        if (!(Math.abs(expected - actual) <= bound)) {
            throw new IllegalStateException(what + ": element " + index + " expected " + expected + " but got "
                    + actual + " (allowed error " + bound + ")");
        }
    }

    /** Two tensors of the same shape agree elementwise within {@code tolerance}. */
    static void requireClose(String what, Tensor expected, Tensor actual, double tolerance) {
        float[] e = expected.array();
        float[] a = actual.array();
        int n = expected.size();
        for (int i = 0; i < n; i++) {
            requireWithin(what, "[flat " + i + " of shape " + java.util.Arrays.toString(expected.shape()) + "]",
                    e[expected.offset() + i], a[actual.offset() + i], tolerance);
        }
    }

    /** Every (sample, site) row of exp(p * logPsi) must sum to one: the output is a distribution. */
    static void requireRowsSumToOne(String what, Tensor logPsi, float machinePow, double tolerance) {
        int rows = logPsi.dim(0) * logPsi.dim(1);
        int cols = logPsi.dim(2);
        float[] a = logPsi.array();
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int k = 0; k < cols; k++) {
                sum += Math.exp(machinePow * a[logPsi.offset() + r * cols + k]);
            }
            requireWithin(what + " (row sums of the conditionals)", "row " + r + " of " + rows, 1.0, sum, tolerance);
        }
    }
}
