package io.jarnn.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's output, line by line in shape, on {@link Cli#QUICK_DEMO} (the README's search shrunk
 * to a chain of 8 and a few steps; the same code). The full demo is timed by hand (README).
 */
class DemoTest {
    @Test
    void theDemoChecksNormalisationThenSearchesTheGroundStateAndEndsWithTheComparison() {
        List<String> lines = Cli.run("demo").assertOk().out().lines().toList();
        int i = 0;
        assertTrue(lines.get(i++).matches("jarnn demo  \\(kernels: .+, threads: \\d+, JDK .+\\)"), lines::toString);
        assertEquals("", lines.get(i++));
        assertEquals("1. Normalisation: an autoregressive model's probabilities sum to one", lines.get(i++));
        for (String kind : new String[]{"ARNNDense", "ARNNConv1D"}) {
            assertTrue(lines.get(i++).startsWith("   " + kind + "(hilbert=Spin(s=1/2, N=10)"), lines::toString);
            String sum = lines.get(i++);
            assertTrue(sum.startsWith("     sum of p(sigma) over all 1024 configurations: "), sum);
            assertEquals(1.0, Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1)), 1e-5, sum);
        }
        assertEquals("", lines.get(i++));
        assertEquals("2. Ground state of the critical transverse-field Ising chain, ising:J=1,h=1 on chain:8:open",
                lines.get(i++));
        assertTrue(lines.get(i++).matches("   ARNNConv1D\\(hilbert=Spin\\(s=1/2, N=8\\), .*\\), float64"), lines::toString);
        assertEquals("   256 samples/step, 40 steps, sr (lr 0.05, diag shift 0.01), seed 1", lines.get(i++));
        for (int step = 10; step <= 40; step += 10) {
            assertTrue(lines.get(i++).matches(String.format("   step %4d  E = -[0-9.]+ ± [0-9.]+  rel\\. error "
                    + "[0-9.]+e[-+][0-9]+", step)), lines::toString);
        }
        assertTrue(lines.get(i++).matches("   final model: E = -[0-9.]+ ± [0-9.]+ \\(2,048 fresh samples\\)"),
                lines::toString);
        assertEquals(String.format(java.util.Locale.ROOT, "   exact:       E = %.10f (free fermions, closed form)",
                1 - 1 / Math.sin(Math.PI / 34)), lines.get(i++));
        assertEquals("", lines.get(i++));
        String last = lines.get(i++);
        assertTrue(last.matches("relative error [0-9.]+e-[0-9]+ against the free-fermion energy \\(target 1e-02\\): "
                + "reached, [0-9.]+ s in all"), last);
        assertEquals(lines.size(), i, lines::toString);
    }
}
