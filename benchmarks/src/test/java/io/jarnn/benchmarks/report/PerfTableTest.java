package io.jarnn.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.benchmarks.ARNNDenseConditionals;
import io.jarnn.benchmarks.ARNNDenseConditionals64;
import io.jarnn.benchmarks.MaskedDenseForward;
import io.jarnn.benchmarks.MaskedDenseForwardBaselines;
import io.jarnn.benchmarks.PeakFlops;
import io.jarnn.benchmarks.PeakFlops64;
import io.jarnn.benchmarks.ThreadScaling;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerfTableTest {

    private static List<RunResult> sample() throws IOException, URISyntaxException {
        return PerfTable.read(Path.of(PerfTableTest.class.getResource("/sample-results.json").toURI()));
    }

    @Test
    void readsTheMedianNotTheMeanAndNaNErrors() throws Exception {
        List<RunResult> results = sample();
        assertEquals(6, results.size(), "entries in sample-results.json");
        assertEquals(7.864, results.get(0).median(), 0, "PeakFlops median (scorePercentiles 50.0)");
        assertTrue(Double.isNaN(results.get(1).error()), "\"NaN\" scoreError should read as NaN but got "
                + results.get(1).error());
        assertEquals(24.0, results.get(2).allocatedBytesPerOp(), 0, "gc.alloc.rate.norm of MaskedDenseForward");
        assertEquals(Map.of("shape", "N256-f16-b64"), results.get(2).params());
    }

    @Test
    void convertsTimePerOpAndThroughputToOpsPerSecond() throws Exception {
        List<RunResult> results = sample();
        assertEquals(2 / 7.864e-6, results.get(1).opsPerSecond(), 1e-6 * 2 / 7.864e-6,
                "avgt on 2 threads: each thread completes one op per median time");
        assertEquals(100.0, results.get(2).opsPerSecond(), 1e-9, "10 ms/op");
        assertEquals(9.0, results.get(5).opsPerSecond(), 1e-9, "thrpt 9 ops/s");
        assertEquals(2, results.get(5).workingThreads(), "JMH threads x the model's threads parameter");
    }

    /**
     * GFLOP/s = the benchmark's own flops per op x ops per second, and "of peak" = that over the
     * PeakFlops row of the same thread count, in {@code gflops} and in every rendered cell. The
     * ops per second are written out here from the sample's medians, units and threads.
     */
    @Test
    void gflopsAreTheBenchmarksFlopsPerOpTimesOpsPerSecondInEveryRow() throws Exception {
        List<RunResult> results = sample();
        double[] flopsPerOp = {
                PeakFlops.usefulFlopsPerOp(Map.of()),
                PeakFlops.usefulFlopsPerOp(Map.of()),
                MaskedDenseForward.usefulFlopsPerOp(Map.of("shape", "N256-f16-b64")),
                MaskedDenseForwardBaselines.usefulFlopsPerOp(Map.of("shape", "N256-f16-b64")),
                ThreadScaling.usefulFlopsPerOp(Map.of("model", "dense-N256-f16", "batch", "1024", "threads", "1")),
                ThreadScaling.usefulFlopsPerOp(Map.of("model", "dense-N256-f16", "batch", "1024", "threads", "2"))};
        double[] opsPerSecond = {
                1 / 7.864e-6,    // 7.864 us/op on one thread
                2 / 7.864e-6,    // 7.864 us/op on each of two threads
                1 / 10e-3,       // 10 ms/op
                1 / 250e-3,      // 250 ms/op
                5,               // 5 ops/s
                9};              // 9 ops/s, the model on two threads
        double[] expected = new double[results.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = flopsPerOp[i] * opsPerSecond[i] / 1e9;
        }
        double peakOne = expected[0];
        double peakTwo = expected[1];
        double[] peak = {peakOne, peakTwo, peakOne, peakOne, peakOne, peakTwo};

        PerfTable table = new PerfTable(results);
        List<String[]> rows = tableRows(table.render(null));
        assertEquals(results.size(), rows.size(), "table rows");
        for (int i = 0; i < expected.length; i++) {
            String what = "row " + i + " (" + results.get(i).benchmark() + " " + results.get(i).params() + ")";
            assertEquals(expected[i], table.gflops(results.get(i)), 1e-12 * expected[i], what + " GFLOP/s");
            assertEquals(String.format(Locale.ROOT, "%.1f", expected[i]), rows.get(i)[GFLOPS_COLUMN],
                    what + " GFLOP/s cell");
            assertEquals(String.format(Locale.ROOT, "%.0f%%", 100 * expected[i] / peak[i]), rows.get(i)[PEAK_COLUMN],
                    what + " of-peak cell");
        }
        assertTrue(table.render(null).contains(String.format(Locale.ROOT, "Measured peak (PeakFlops): %.1f GFLOP/s on 1 "
                + "thread, %.1f GFLOP/s on 2 threads.", peakOne, peakTwo)), "peak line");
    }

    @Test
    void rendersRatiosAgainstEjmlAndOneThreadAndTheAllocationColumn() throws Exception {
        String markdown = new PerfTable(sample()).render("./jarnn bench -f 1");
        String dense = line(markdown, "| MaskedDenseForward.jarnn ");
        assertTrue(dense.contains("| 25.00x |"), "jarnn at 10 ms vs EJML at 250 ms should read 25.00x in: " + dense);
        assertTrue(dense.endsWith("| 24 |"), "allocation column of: " + dense);
        String twoThreads = line(markdown, "threads=2 |");
        assertTrue(twoThreads.contains("| 1.80x |"), "9 ops/s vs 5 ops/s on one thread should read 1.80x in: " + twoThreads);
        assertTrue(markdown.contains("Command: `./jarnn bench -f 1`"), "command line missing from:\n" + markdown);
        assertTrue(markdown.startsWith("Machine: CPU: "), "machine line missing from:\n" + markdown);
    }

    @Test
    void rejectsMalformedJsonNamingTheLineAndColumn(@TempDir Path dir) throws IOException {
        Path trailingComma = Files.writeString(dir.resolve("trailing-comma.json"), "[\n  {\"a\": 1,}\n]");
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> PerfTable.read(trailingComma));
        assertTrue(e.getMessage().contains("line: 2, column: 11"), e.getMessage());
        Path notAnArray = Files.writeString(dir.resolve("object.json"), "{\"benchmark\": \"x\"}");
        IllegalArgumentException notArray = assertThrows(IllegalArgumentException.class,
                () -> PerfTable.read(notAnArray));
        assertTrue(notArray.getMessage().contains("expected JMH's JSON array"), notArray.getMessage());
    }

    @Test
    void readsEscapedStringsAndKeepsTheParametersInFileOrder(@TempDir Path dir) throws IOException {
        Path json = Files.writeString(dir.resolve("escaped.json"), """
                [{"benchmark": "a.B.c", "mode": "avgt", "threads": 1,
                  "params": {"z": "x\\"\\u00e9", "a": "1"},
                  "primaryMetric": {"scorePercentiles": {"50.0": 2.5}, "scoreError": 0.25, "scoreUnit": "ms/op"}}]
                """);
        RunResult r = PerfTable.read(json).get(0);
        assertEquals(List.of("z", "a"), List.copyOf(r.params().keySet()), "parameter order as in the file");
        assertEquals("x\"\u00e9", r.params().get("z"));
        assertEquals(2.5, r.median(), 0);
        assertEquals(400.0, r.opsPerSecond(), 1e-9, "2.5 ms/op");
    }

    /**
     * A float64 row (a class ending in 64) is a share of PeakFlops64's peak, not of the float32
     * one: with both probes at 8 us per op, PeakFlops64 does half the flops of PeakFlops (half the
     * lanes) and must still read 100% of its own peak, and a float64 benchmark as fast in flops as
     * the float32 peak reads 200%.
     */
    @Test
    void float64RowsAreSharesOfTheFloat64Peak(@TempDir Path dir) throws IOException {
        String row = """
                {"benchmark": "io.jarnn.benchmarks.%s.singleThread", "mode": "avgt", "threads": 1, "params": {},
                 "primaryMetric": {"scorePercentiles": {"50.0": %s}, "scoreError": 0.1, "scoreUnit": "us/op"}}""";
        Path json = Files.writeString(dir.resolve("both-precisions.json"), "["
                + String.format(Locale.ROOT, row, "PeakFlops", "8.0") + ","
                + String.format(Locale.ROOT, row, "PeakFlops64", "8.0") + ","
                + String.format(Locale.ROOT, row, "PeakFlops64", "4.0") + "]");
        PerfTable table = new PerfTable(PerfTable.read(json));
        String markdown = table.render(null);
        List<String[]> rows = tableRows(markdown);
        assertEquals("100%", rows.get(0)[PEAK_COLUMN], "PeakFlops against itself");
        assertEquals("100%", rows.get(1)[PEAK_COLUMN], "PeakFlops64 against itself, not against the float32 peak");
        assertEquals("200%", rows.get(2)[PEAK_COLUMN], "twice the float64 peak's rate");
        assertTrue(markdown.contains("Measured peak (PeakFlops64): "), "float64 peak line missing from:\n" + markdown);
    }

    /**
     * A twinned benchmark's float64 row (ARNNDenseConditionals64) takes its flops from the twin's
     * own usefulFlopsPerOp and is a share of PeakFlops64; its float32 original is a share of
     * PeakFlops; and MaskedDenseForward64 is not compared with the float32 baselines of
     * MaskedDenseForward, which have the same shape parameter.
     */
    @Test
    void twinnedRowsTakeTheirFlopsFromTheTwinAndTheirPeakAndNoBaselineFromTheOtherPrecision(@TempDir Path dir)
            throws IOException {
        String row = """
                {"benchmark": "io.jarnn.benchmarks.%s", "mode": "avgt", "threads": 1, "params": {%s},
                 "primaryMetric": {"scorePercentiles": {"50.0": %s}, "scoreError": 0.1, "scoreUnit": "%s"}}""";
        String model = "\"sites\": \"256\", \"layers\": \"3\", \"features\": \"16\", \"batch\": \"1024\"";
        String shape = "\"shape\": \"N256-f16-b64\"";
        Path json = Files.writeString(dir.resolve("twins.json"), "[" + String.join(",",
                String.format(Locale.ROOT, row, "PeakFlops.singleThread", "", "8.0", "us/op"),
                String.format(Locale.ROOT, row, "PeakFlops64.singleThread", "", "8.0", "us/op"),
                String.format(Locale.ROOT, row, "ARNNDenseConditionals.jarnn", model, "300", "ms/op"),
                String.format(Locale.ROOT, row, "ARNNDenseConditionals64.jarnn", model, "600", "ms/op"),
                String.format(Locale.ROOT, row, "MaskedDenseForward.jarnn", shape, "1000", "us/op"),
                String.format(Locale.ROOT, row, "MaskedDenseForward64.jarnn", shape, "2000", "us/op"),
                String.format(Locale.ROOT, row, "MaskedDenseForwardBaselines.ejml", shape, "20000", "us/op"),
                String.format(Locale.ROOT, row, "MaskedDenseForwardBaselines.scalar", shape, "40000", "us/op"))
                + "]");
        Map<String, String> modelParams = Map.of("sites", "256", "layers", "3", "features", "16", "batch", "1024");
        double peak32 = PeakFlops.usefulFlopsPerOp(Map.of()) / 8e-6 / 1e9;
        double peak64 = PeakFlops64.usefulFlopsPerOp(Map.of()) / 8e-6 / 1e9;
        double dense32 = ARNNDenseConditionals.usefulFlopsPerOp(modelParams) / 0.3 / 1e9;
        double dense64 = ARNNDenseConditionals64.usefulFlopsPerOp(modelParams) / 0.6 / 1e9;

        List<String[]> rows = tableRows(new PerfTable(PerfTable.read(json)).render(null));
        assertEquals(String.format(Locale.ROOT, "%.1f", dense32), rows.get(2)[GFLOPS_COLUMN], "float32 model GFLOP/s");
        assertEquals(String.format(Locale.ROOT, "%.1f", dense64), rows.get(3)[GFLOPS_COLUMN], "float64 model GFLOP/s");
        assertEquals(String.format(Locale.ROOT, "%.0f%%", 100 * dense32 / peak32), rows.get(2)[PEAK_COLUMN],
                "float32 model against PeakFlops");
        assertEquals(String.format(Locale.ROOT, "%.0f%%", 100 * dense64 / peak64), rows.get(3)[PEAK_COLUMN],
                "float64 model against PeakFlops64");
        assertEquals("20.00x", rows.get(4)[EJML_COLUMN], "float32 layer vs EJML");
        assertEquals("40.00x", rows.get(4)[SCALAR_COLUMN], "float32 layer vs scalar");
        assertEquals("", rows.get(5)[EJML_COLUMN], "float64 layer vs the float32 EJML baseline");
        assertEquals("", rows.get(5)[SCALAR_COLUMN], "float64 layer vs the float32 scalar baseline");
    }

    private static final int GFLOPS_COLUMN = 4;
    private static final int PEAK_COLUMN = 5;
    private static final int EJML_COLUMN = 6;
    private static final int SCALAR_COLUMN = 7;

    /** The cells of each result row of the table, in order, trimmed. */
    private static List<String[]> tableRows(String markdown) {
        List<String> lines = markdown.lines().toList();
        int separator = lines.indexOf(lines.stream().filter(l -> l.startsWith("|---")).findFirst().orElseThrow());
        List<String[]> rows = new ArrayList<>();
        for (String l : lines.subList(separator + 1, lines.size())) {
            if (!l.startsWith("| ")) {
                break;
            }
            String[] cells = l.substring(1, l.length() - 1).split("\\|", -1);
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].trim();
            }
            rows.add(cells);
        }
        return rows;
    }

    private static String line(String markdown, String containing) {
        return markdown.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line containing '" + containing + "' in:\n" + markdown));
    }
}
