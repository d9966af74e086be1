package io.jarnn.benchmarks.report;

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

    @SuppressWarnings("unchecked")
    static RunResult of(Map<String, Object> entry) {
        Map<String, Object> primary = (Map<String, Object>) entry.get("primaryMetric");
        Map<String, Object> percentiles = (Map<String, Object>) primary.get("scorePercentiles");
        Map<String, String> params = new LinkedHashMap<>();
        Object rawParams = entry.get("params");
        if (rawParams instanceof Map<?, ?> map) {
            map.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
        }
        double allocated = Double.NaN;
        if (entry.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
            for (Map.Entry<?, ?> e : secondary.entrySet()) {
                // JMH names it "·gc.alloc.rate.norm" (with a leading middle dot) under -prof gc.
                if (((String) e.getKey()).endsWith("gc.alloc.rate.norm")) {
                    allocated = number(((Map<String, Object>) e.getValue()).get("score"));
                }
            }
        }
        return new RunResult((String) entry.get("benchmark"), (String) entry.get("mode"),
                (int) number(entry.get("threads")), params, number(percentiles.get("50.0")),
                number(primary.get("scoreError")), (String) primary.get("scoreUnit"), allocated,
                ((List<Object>) entry.getOrDefault("jvmArgs", List.of())).stream().map(String::valueOf).toList(),
                entry.get("jdkVersion") + " (" + entry.get("vmName") + " " + entry.get("vmVersion") + ")",
                String.valueOf(entry.get("jmhVersion")), (int) number(entry.get("forks")),
                (int) number(entry.get("warmupIterations")) + " x " + entry.get("warmupTime"),
                (int) number(entry.get("measurementIterations")) + " x " + entry.get("measurementTime"));
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            return Double.parseDouble(s);
        }
        return Double.NaN;
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
