package io.jarnn.examples;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.Samples;
import io.jarnn.nn.SiteCache;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's API example, verbatim between the markers, and its imports (this file's
 * {@code io.jarnn} imports), so that what the README shows always compiles.
 */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() {
        // README-EXAMPLE-BEGIN
        HilbertSpace hilbert = HilbertSpace.spin(0.5, 100);          // NetKet's Spin(1/2, N=100)
        ARNN model = ARNNConv1D.builder(hilbert)
                .layers(3).features(16).kernelSize(3).dilation(1)  // NetKet's ARNNConv1D arguments
                .machinePow(2f)
                .build(42);                                         // LeCun-normal init from a seed

        Tensor sigma = hilbert.randomConfigurations(8, 7);          // (batch, N) of local values
        Tensor p = model.conditionals(sigma);                       // (8, 100, 2), rows sum to 1
        Tensor logPsi = model.logPsi(sigma);                        // (8,)

        SiteCache cache = model.newCache(8);                        // per-site evaluation, O(1) per site
        Tensor p0 = model.conditional(cache, sigma, 0);             // == p[:, 0, :]

        Samples samples = DirectSampler.of(model).sample(1000, 2024, true);
        Tensor configurations = samples.configurations();           // (1000, 100), exact samples
        Tensor logProb = samples.logProbabilities();                // 2 * logPsi of each sample
        // README-EXAMPLE-END
        assertEquals(2, p.dim(2));
        assertEquals(8, logPsi.dim(0));
        assertEquals(p.get(3, 0, 1), p0.get(3, 1), 1e-6);
        assertEquals(100, configurations.dim(1));
        assertEquals(2 * model.logPsi(configurations.row(0).reshape(1, 100)).get(0), logProb.get(0), 1e-4);
    }

    @Test
    void readmeShowsThisExampleWithItsImports() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/jarnn/examples/ReadmeExampleTest.java"));
        int begin = source.indexOf("// README-EXAMPLE-" + "BEGIN\n") + "// README-EXAMPLE-BEGIN\n".length();
        int end = source.indexOf("        // README-EXAMPLE-" + "END");
        String example = Arrays.stream(source.substring(begin, end).split("\n"))
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"));
        int at = readme.indexOf(example);
        assertTrue(at >= 0, "README.md must contain the example of ReadmeExampleTest verbatim:\n" + example);

        // What the README's block shows above the example must be exactly the imports this file
        // compiles it with: a wrong, missing or extra import fails here.
        int block = readme.lastIndexOf("```java\n", at);
        assertTrue(block >= 0, "the example must be in a ```java block of README.md");
        List<String> shown = readme.substring(block + "```java\n".length(), at).lines()
                .filter(line -> !line.isBlank()).toList();
        List<String> compiled = source.lines().filter(line -> line.startsWith("import io.jarnn.")).toList();
        assertEquals(compiled, shown, "imports above the README's example");
        for (String line : compiled) {
            String type = line.substring(line.lastIndexOf('.') + 1, line.length() - 1);
            assertTrue(Pattern.compile("\\b" + type + "\\b").matcher(example).find(),
                    () -> line + " is not used by the example");
        }
    }
}
