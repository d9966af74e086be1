package io.jarnn.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns a JMH JSON result file ({@code -rf json -rff results.json}) into the Markdown table of
 * the README: benchmark, parameters, median, error, useful GFLOP/s, fraction of the measured
 * peak, speed-up over EJML / the scalar kernels / the naive sampling path / one thread, bytes allocated per op (when run
 * with {@code -prof gc}), and the machine line.
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *        io.jarnn.benchmarks.report.PerfTable results.json [--command "the JMH command line"]
 * </pre>
 *
 * <p>Useful flops per op come from the benchmark class itself: its {@code public static long
 * usefulFlopsPerOp(Map<String, String> params)}, called with the parameters in the JSON (each
 * benchmark checked that same method against the library's multiply-add count in its setup).
 * Benchmarks without it get no GFLOP/s. The peak is {@code PeakFlops.singleThread} of the same
 * file for single-threaded rows and {@code PeakFlops.allCores} for rows on more threads; for
 * float64 rows (a benchmark class whose name ends in {@code 64}, the generated twins) it is
 * {@code PeakFlops64}'s, since a double vector holds half the lanes.
 */
public final class PerfTable {
    private static final String PEAK_CLASS = "PeakFlops";
    private static final String FLOAT64_SUFFIX = "64";
    private static final String BASELINE_SUFFIX = "Baselines";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RunResult> results;
    private final Peak float32;
    private final Peak float64;

    PerfTable(List<RunResult> results) {
        this.results = results;
        this.float32 = peak(PEAK_CLASS);
        this.float64 = peak(PEAK_CLASS + FLOAT64_SUFFIX);
    }

    /** A precision's measured peak GFLOP/s on one thread and on all cores (NaN / 0 threads when absent). */
    private record Peak(String className, double oneThread, double allCores, int allCoresThreads) {
        boolean measured() {
            return !Double.isNaN(oneThread) || allCoresThreads > 0;
        }
    }

    private Peak peak(String className) {
        RunResult one = find(r -> r.className().equals(className) && r.method().equals("singleThread"));
        RunResult all = find(r -> r.className().equals(className) && r.method().equals("allCores"));
        return new Peak(className, one == null ? Double.NaN : gflops(one), all == null ? Double.NaN : gflops(all),
                all == null ? 0 : all.threads());
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--command"))) {
            System.err.println("usage: java --add-modules=jdk.incubator.vector -cp benchmarks.jar "
                    + PerfTable.class.getName() + " results.json [--command \"jmh command line\"]");
            System.exit(2);
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            System.err.println("PerfTable: run with --add-modules=jdk.incubator.vector (the peak's lane count "
                    + "and the kernels' name come from the Vector API)");
            System.exit(2);
        }
        List<RunResult> results = read(Path.of(args[0]));
        if (results.isEmpty()) {
            System.err.println("PerfTable: " + args[0] + " holds no benchmark results");
            System.exit(1);
        }
        System.out.print(new PerfTable(results).render(args.length == 3 ? args[2] : null));
    }

    /**
     * The entries of a JMH JSON result file, in file order. Malformed JSON throws Jackson's
     * {@link com.fasterxml.jackson.core.JsonProcessingException}, whose message gives the line
     * and column; a document that is not an array of objects throws IllegalArgumentException.
     */
    static List<RunResult> read(Path json) throws IOException {
        JsonNode entries = JSON.readTree(json.toFile());
        if (entries == null || !entries.isArray()) {
            throw new IllegalArgumentException(json + ": expected JMH's JSON array of results but got "
                    + (entries == null ? "an empty file" : entries.getNodeType()));
        }
        List<RunResult> results = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (!entry.isObject()) {
                throw new IllegalArgumentException(json + ": expected every result to be a JSON object but got "
                        + entry.getNodeType() + " at index " + results.size());
            }
            results.add(RunResult.of(entry));
        }
        return results;
    }

    String render(String command) {
        RunResult first = results.get(0);
        StringBuilder out = new StringBuilder();
        out.append("Machine: ").append(MachineLine.describe(first)).append("\n\n");
        appendPeak(out, float32);
        if (float64.measured()) {
            appendPeak(out, float64);
        }
        out.append("Run: ").append(first.forks()).append(" fork(s), warmup ").append(first.warmup())
                .append(", measurement ").append(first.measurement()).append("; fork JVM flags: ")
                .append(String.join(" ", first.jvmArgs().stream().distinct().toList())).append("\n\n");
        if (command != null) {
            out.append("Command: `").append(command).append("`\n\n");
        }
        boolean gc = results.stream().anyMatch(r -> !Double.isNaN(r.allocatedBytesPerOp()));
        out.append("| Benchmark | Params | Median | Error | GFLOP/s | of peak | vs EJML | vs scalar | vs naive | vs 1 thread |")
                .append(gc ? " alloc B/op |" : "").append('\n');
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|").append(gc ? "---:|" : "").append('\n');
        for (RunResult r : results) {
            out.append("| ").append(r.className()).append('.').append(r.method())
                    .append(r.threads() > 1 ? " (" + r.threads() + " threads)" : "")
                    .append(" | ").append(formatParams(r.params()))
                    .append(" | ").append(significant(r.median())).append(' ').append(r.unit())
                    .append(" | ").append(Double.isNaN(r.error()) ? "n/a" : "± " + significant(r.error()))
                    .append(" | ").append(fixed(gflops(r)))
                    .append(" | ").append(percent(gflops(r) / peakFor(r)))
                    .append(" | ").append(ratio(r, baseline(r, "ejml")))
                    .append(" | ").append(ratio(r, baseline(r, "scalar")))
                    .append(" | ").append(ratio(r, baseline(r, "naive")))
                    .append(" | ").append(ratio(r, oneThread(r)))
                    .append(" |");
            if (gc) {
                out.append(' ').append(Double.isNaN(r.allocatedBytesPerOp()) ? "-"
                        : String.format(Locale.ROOT, "%.0f", r.allocatedBytesPerOp())).append(" |");
            }
            out.append('\n');
        }
        out.append("\nMedian: 50th percentile of the measurement iterations; Error: JMH's 99.9% half-interval "
                + "of the mean. GFLOP/s: useful flops (2 x unmasked multiply-adds) per op x ops/s at the median. "
                + "of peak: against the 1-thread peak, or the all-cores peak for rows on more threads, "
                + "of the row's precision (PeakFlops64 for classes ending in 64, the float64 twins). "
                + "vs X: speed-up over X on the same parameters (X's time / this row's time).\n");
        return out.toString();
    }

    /** Useful GFLOP/s at the median, or NaN when the benchmark declares no flop count. */
    double gflops(RunResult r) {
        double flops = usefulFlopsPerOp(r);
        return Double.isNaN(flops) ? Double.NaN : flops * r.opsPerSecond() / 1e9;
    }

    private static double usefulFlopsPerOp(RunResult r) {
        try {
            Method m = Class.forName(r.qualifiedClassName()).getMethod("usefulFlopsPerOp", Map.class);
            return ((Number) m.invoke(null, r.params())).doubleValue();
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return Double.NaN;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(r.benchmark() + ": usefulFlopsPerOp" + r.params() + " failed", e);
        }
    }

    private static void appendPeak(StringBuilder out, Peak peak) {
        out.append("Measured peak (").append(peak.className()).append("): ").append(fixed(peak.oneThread()))
                .append(" GFLOP/s on 1 thread");
        if (peak.allCoresThreads() > 0) {
            out.append(", ").append(fixed(peak.allCores())).append(" GFLOP/s on ").append(peak.allCoresThreads())
                    .append(" threads");
        }
        out.append(".\n\n");
    }

    private double peakFor(RunResult r) {
        Peak peak = family(r).endsWith(FLOAT64_SUFFIX) ? float64 : float32;
        return r.workingThreads() == 1 ? peak.oneThread()
                : r.workingThreads() == peak.allCoresThreads() ? peak.allCores() : Double.NaN;
    }

    /** The scalar or EJML row of the same family (class name without "Baselines") and parameters. */
    private RunResult baseline(RunResult r, String method) {
        if (r.method().equals(method)) {
            return null;
        }
        return find(b -> b.method().equals(method) && family(b).equals(family(r)) && b.params().equals(r.params())
                && b.threads() == r.threads());
    }

    /** The row with threads=1 and otherwise the same benchmark and parameters. */
    private RunResult oneThread(RunResult r) {
        String threads = r.params().get("threads");
        if (threads == null || threads.equals("1")) {
            return null;
        }
        return find(b -> b.benchmark().equals(r.benchmark()) && "1".equals(b.params().get("threads"))
                && sameExcept(b.params(), r.params(), "threads"));
    }

    private static boolean sameExcept(Map<String, String> a, Map<String, String> b, String key) {
        return a.keySet().equals(b.keySet())
                && a.keySet().stream().allMatch(k -> k.equals(key) || Objects.equals(a.get(k), b.get(k)));
    }

    private static String family(RunResult r) {
        String name = r.className();
        return name.endsWith(BASELINE_SUFFIX) ? name.substring(0, name.length() - BASELINE_SUFFIX.length()) : name;
    }

    private RunResult find(java.util.function.Predicate<RunResult> condition) {
        return results.stream().filter(condition).findFirst().orElse(null);
    }

    private static String ratio(RunResult r, RunResult baseline) {
        return baseline == null ? "" : String.format(Locale.ROOT, "%.2fx", r.opsPerSecond() / baseline.opsPerSecond());
    }

    private static String formatParams(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** Four significant digits, but never an exponent for values a table reader compares by eye. */
    private static String significant(double v) {
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String fixed(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }
}
