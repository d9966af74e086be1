package io.jarnn.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a JMH JSON result file, reduced to what the table needs. {@code median} is the
 * 50th percentile of the measurement iterations ({@code primaryMetric.scorePercentiles."50.0"}),
 * in {@code unit}; {@code error} is JMH's 99.9% half-interval around the mean (NaN when there
 * are too few iterations).
 */
record RunResult(String benchmark, String mode, int threads, Map<String, String> params, double median,
                 double error, String unit, double allocatedBytesPerOp, List<String> jvmArgs,
                 String jdk, String jmhVersion, int forks, String warmup, String measurement) {

    /** One element of the JSON's top-level array; fields JMH left out read as NaN, 0 or "null". */
    static RunResult of(JsonNode entry) {
        JsonNode primary = entry.path("primaryMetric");
        Map<String, String> params = new LinkedHashMap<>();
        entry.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        double allocated = Double.NaN;
        for (Map.Entry<String, JsonNode> e : entry.path("secondaryMetrics").properties()) {
            // JMH names it "·gc.alloc.rate.norm" (with a leading middle dot) under -prof gc.
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                allocated = number(e.getValue().path("score"));
            }
        }
        List<String> jvmArgs = new ArrayList<>();
        entry.path("jvmArgs").forEach(arg -> jvmArgs.add(arg.asText()));
        return new RunResult(text(entry, "benchmark"), text(entry, "mode"), (int) number(entry.path("threads")),
                params, number(primary.path("scorePercentiles").path("50.0")), number(primary.path("scoreError")),
                text(primary, "scoreUnit"), allocated, List.copyOf(jvmArgs),
                text(entry, "jdkVersion") + " (" + text(entry, "vmName") + " " + text(entry, "vmVersion") + ")",
                text(entry, "jmhVersion"), (int) number(entry.path("forks")),
                (int) number(entry.path("warmupIterations")) + " x " + text(entry, "warmupTime"),
                (int) number(entry.path("measurementIterations")) + " x " + text(entry, "measurementTime"));
    }

    /** A number, or NaN when absent; JMH writes NaN and infinities as strings. */
    private static double number(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            return Double.parseDouble(value.asText());
        }
        return Double.NaN;
    }

    /** A field as text, or null when absent or JSON null. */
    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Class name without the package, e.g. {@code MaskedDenseForward}. */
    String className() {
        String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    String qualifiedClassName() {
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** Threads doing the work: JMH's threads times the model's own {@code threads} parameter, if any. */
    int workingThreads() {
        String modelThreads = params.get("threads");
        return threads * (modelThreads == null ? 1 : Integer.parseInt(modelThreads));
    }

    /**
     * Operations per second summed over JMH's threads, from the median. Time-per-op modes
     * (avgt, sample, ss) report each thread's time per op; throughput reports the total rate.
     */
    double opsPerSecond() {
        int slash = unit.indexOf('/');
        String left = unit.substring(0, slash);
        String right = unit.substring(slash + 1);
        if (right.equals("op")) {
            return threads / (median * secondsIn(left));
        }
        if (left.equals("ops")) {
            return median / secondsIn(right);
        }
        throw new IllegalArgumentException("unit: expected <time>/op or ops/<time> but got " + unit);
    }

    private static double secondsIn(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("unit: unknown time unit " + timeUnit);
        };
    }
}
