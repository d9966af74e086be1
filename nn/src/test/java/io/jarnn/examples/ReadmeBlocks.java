package io.jarnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Holds a README code block to the test that compiles and runs it: the code between
 * {@code // MARKER-BEGIN} and {@code // MARKER-END} in the test's source must appear verbatim in
 * a {@code ```java} block of README.md, preceded by exactly that test's {@code io.jarnn} imports,
 * each of them used by the example.
 */
final class ReadmeBlocks {
    private ReadmeBlocks() {
    }

    static void requireShownWithImports(String testFile, String marker) throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/jarnn/examples").resolve(testFile));
        String beginMarker = "// " + marker + "-BEGIN\n";
        int begin = source.indexOf(beginMarker);
        int end = source.indexOf("        // " + marker + "-END");
        assertTrue(begin >= 0 && end > begin, testFile + " must hold the markers " + marker + "-BEGIN/END");
        String example = Arrays.stream(source.substring(begin + beginMarker.length(), end).split("\n"))
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"));
        int at = readme.indexOf(example);
        assertTrue(at >= 0, "README.md must contain the example of " + testFile + " verbatim:\n" + example);

        // What the README's block shows above the example must be exactly the imports the test
        // compiles it with: a wrong, missing or extra import fails here.
        int block = readme.lastIndexOf("```java\n", at);
        assertTrue(block >= 0, "the example must be in a ```java block of README.md");
        List<String> shown = readme.substring(block + "```java\n".length(), at).lines()
                .filter(line -> !line.isBlank()).toList();
        List<String> compiled = source.lines().filter(line -> line.startsWith("import io.jarnn.")).toList();
        assertEquals(compiled, shown, "imports above the README's example of " + testFile);
        for (String line : compiled) {
            String type = line.substring(line.lastIndexOf('.') + 1, line.length() - 1);
            assertTrue(Pattern.compile("\\b" + type + "\\b").matcher(example).find(),
                    () -> line + " is not used by the example of " + testFile);
        }
    }
}
