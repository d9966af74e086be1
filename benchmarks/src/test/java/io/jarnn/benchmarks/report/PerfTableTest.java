package io.jarnn.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jarnn.benchmarks.MultiplyAdds;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

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
    void rejectsMalformedJsonNamingThePosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[{\"a\": 1,}]"));
        assertTrue(e.getMessage().contains("at character 9"), e.getMessage());
        assertEquals(List.of(Map.of("a", "x\"\u00e9")), Json.parse("[{\"a\": \"x\\\"\\u00e9\"}]"));
    }

    private static String line(String markdown, String containing) {
        return markdown.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line containing '" + containing + "' in:\n" + markdown));
    }
}
