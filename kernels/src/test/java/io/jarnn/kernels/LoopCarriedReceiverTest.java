package io.jarnn.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No kernel calls a Vector API method on a vector it carries around a loop ({@code max =
 * max.max(load)}); it writes {@code max = load.max(max)}, the loop-carried value as the argument.
 * Why: C2 parses a loop before it knows the type its carried value will have, so a call on it
 * is devirtualised only through the receiver profile of the Vector API's own method
 * ({@code FloatVector.max} calls the abstract {@code lanewise}), a profile that every caller
 * shares. In about one JMH fork in 25 that method had run as C1 code that does not profile
 * (tier 2, while C2's queue was long), C2 compiled {@code shiftColumns} with that call left
 * virtual ({@code -XX:+LogCompilation}: {@code inline_fail reason='virtual call'}, no profile),
 * and the sampler ran the Vector API's boxed fallbacks for it: 19.2 MB per call at batch 64,
 * 1,920 bytes per site. A vector just loaded, broadcast or computed has its exact class
 * known to C2 and needs no profile. (Addition and max commute exactly, so the operands' order
 * changes no bit.)
 */
class LoopCarriedReceiverTest {
    private static final Pattern DECLARATION = Pattern.compile("\\b(?:Float|Double|Int|Long)Vector\\s+(\\w+)\\s*=");
    /** Further names declared in the same statement: {@code FloatVector a = ..., b = ...}. */
    private static final Pattern MORE_DECLARED = Pattern.compile(",\\s*(\\w+)\\s*=");
    private static final Pattern SELF_RECEIVER = Pattern.compile("\\b(\\w+)\\s*=\\s*\\1\\s*\\.\\s*\\w+\\s*\\(");
    private static final Pattern LOOP_HEADER = Pattern.compile("\\b(?:for|while)\\s*\\(|\\bdo\\s*\\{");

    @Test
    void noKernelCallsAVectorMethodOnAVectorItCarriesAroundALoop() throws IOException {
        List<Path> sources = kernelSources();
        List<String> found = new ArrayList<>();
        for (Path source : sources) {
            found.addAll(loopCarriedReceivers(source));
        }
        assertEquals(List.of(), found, "vectors carried around a loop used as receivers (write load.op(carried))");
    }

    @Test
    void theScanFindsALoopCarriedReceiverAndPassesAStraightLineChainCommentsAndCodeAfterTheLoop() {
        List<String> lines = List.of(
                "FloatVector max = FloatVector.broadcast(S, 0f);",
                "/** for (t, a) {@code",
                " *  in a comment { */",
                "for (int k = 0; k < rows; k++) {",
                "    FloatVector q = FloatVector.fromArray(S, x, k);",
                "    q = q.fma(r, c);",
                "    max = max.max(FloatVector.fromArray(S, x, k));",
                "}",
                "max = max.max(FloatVector.fromArray(S, x, 0)); // after the loop: no longer carried");
        assertEquals(List.of("T.java:7: max = max.max(FloatVector.fromArray(S, x, k));"),
                loopCarriedReceivers("T.java", lines));
    }

    /** The float32 sources and the generated float64 twins (both compile into the kernels). */
    private static List<Path> kernelSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (Path dir : List.of(Path.of("src/main/java/io/jarnn/kernels"),
                Path.of("target/generated-sources/float64/io/jarnn/kernels"))) {
            assertTrue(Files.isDirectory(dir), dir.toAbsolutePath() + " (the test runs in the kernels module)");
            try (Stream<Path> files = Files.list(dir)) {
                sources.addAll(files.filter(p -> p.toString().endsWith(".java")).sorted().toList());
            }
        }
        assertTrue(sources.stream().anyMatch(p -> p.endsWith("VectorKernels64.java")), "found the twins: " + sources);
        return sources;
    }

    private static List<String> loopCarriedReceivers(Path source) throws IOException {
        return loopCarriedReceivers(source.getFileName().toString(), Files.readAllLines(source));
    }

    /**
     * Lines {@code v = v.method(...)} where the vector v was declared outside a loop that
     * encloses the line. Braces are counted on the code with comments and string literals
     * removed (a javadoc's {@code {@link ...}} or "for (t, a)" is not code); good enough for this
     * package's style, whose every loop body is a braced block.
     */
    static List<String> loopCarriedReceivers(String file, List<String> lines) {
        List<String> found = new ArrayList<>();
        Deque<Boolean> blocks = new ArrayDeque<>(); // per open block: whether a loop opened it
        Map<String, Integer> loopsAtDeclaration = new HashMap<>();
        int loops = 0;
        boolean inBlockComment = false;
        for (int i = 0; i < lines.size(); i++) {
            StringBuilder kept = new StringBuilder();
            String line = lines.get(i).replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
            for (int c = 0; c < line.length(); c++) {
                if (inBlockComment) {
                    if (line.startsWith("*/", c)) {
                        inBlockComment = false;
                        c++;
                    }
                } else if (line.startsWith("/*", c)) {
                    inBlockComment = true;
                    c++;
                } else if (line.startsWith("//", c)) {
                    break;
                } else {
                    kept.append(line.charAt(c));
                }
            }
            String code = kept.toString();
            Matcher declared = DECLARATION.matcher(code);
            if (declared.find()) {
                loopsAtDeclaration.put(declared.group(1), loops);
                Matcher more = MORE_DECLARED.matcher(code.substring(declared.end()));
                while (more.find()) {
                    loopsAtDeclaration.put(more.group(1), loops);
                }
            }
            Matcher self = SELF_RECEIVER.matcher(code);
            while (self.find()) {
                Integer outer = loopsAtDeclaration.get(self.group(1));
                if (outer != null && loops > outer) {
                    found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
            boolean loopHeader = LOOP_HEADER.matcher(code).find();
            for (char ch : code.toCharArray()) {
                if (ch == '{') {
                    blocks.push(loopHeader);
                    if (loopHeader) {
                        loops++;
                        loopHeader = false;
                    }
                } else if (ch == '}' && !blocks.isEmpty() && blocks.pop()) {
                    loops--;
                }
            }
        }
        return found;
    }
}
