package io.jarnn.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.benchmarks.MultiplyAdds;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jdk.incubator.vector.FloatVector;
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

    @Test
    void gflopsComeFromTheBenchmarksOwnFlopCount() throws Exception {
        PerfTable table = new PerfTable(sample());
        double denseFlops = 2.0 * 64 * MultiplyAdds.maskedDense(256, 16, 16, false);
        assertEquals(denseFlops * 100 / 1e9, table.gflops(sample().get(2)), 1e-9, "dense N256-f16-b64 at 10 ms/op");
        double peakFlops = 2.0 * FloatVector.SPECIES_PREFERRED.length() * 12 * 2048;
        assertEquals(peakFlops / 7.864e-6 / 1e9, table.gflops(sample().get(0)), 1e-6, "single-thread peak");
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

    private static String line(String markdown, String containing) {
        return markdown.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line containing '" + containing + "' in:\n" + markdown));
    }
}
