import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the float64 twin of every float32 source file listed in {@code codegen/float64-twins.txt}:
 * jarnn's one source of truth for code that differs between the precisions only in its element
 * type. Run by each module's build in {@code generate-sources} / {@code generate-test-sources},
 * with the JDK's single-file launcher (no build step of its own):
 * <pre>
 *   java codegen/PrecisionTwins.java REPO_ROOT MODULE_DIR main|test OUT_DIR
 * </pre>
 *
 * <p>The float32 file is the one a developer edits; it compiles and is tested as it is. Its twin
 * is the same text with these rewrites, applied in this order, each to whole words:
 * <ol>
 * <li>a line ending in the comment {@code //f64: TEXT} becomes {@code TEXT} (same indentation):
 *     the escape hatch for the few lines that differ in more than the type, such as a tolerance;</li>
 * <li>every listed class {@code X} becomes {@code X64} ({@code XTest} becomes {@code X64Test}, so
 *     that the test runner still finds it), in code, imports and comments alike;</li>
 * <li>{@code floatToRawIntBits}, {@code floatToIntBits}, {@code intBitsToFloat} become their
 *     long/double counterparts;</li>
 * <li>{@code Float} becomes {@code Double} inside any identifier ({@code FloatVector},
 *     {@code VectorMask<Float>}, {@code Float.NEGATIVE_INFINITY}), {@code float} becomes
 *     {@code double} (and {@code floats} {@code doubles}), {@code FLOATS} {@code DOUBLES},
 *     {@code float32}/{@code FLOAT32} {@code float64}/{@code FLOAT64} and the NumPy descriptor
 *     {@code <f4} {@code <f8};</li>
 * <li>float literals lose their suffix: {@code 1f} becomes {@code 1.0} (never the int {@code 1},
 *     which would turn {@code 1f / 6f} into 0), {@code 0.5f} becomes {@code 0.5}.</li>
 * </ol>
 * A file listed as {@code hand-written} has its twin {@code X64.java} written by hand beside it
 * (numerics that differ between the precisions, such as the exp polynomials): it is not
 * generated, only renamed in the generated files that use it.
 *
 * <p>Why text and not a template language: the source stays ordinary, compiling, tested Java, and
 * the twin reads like hand-written code (EJML generates its float classes from its double ones
 * the same way). What the rules cannot express, such as an exp polynomial accurate to double
 * precision, is written by hand in each precision instead of being twinned.
 *
 * <p>The output directory is emptied first, so a file removed from the list leaves no stale twin.
 * A listed file that is missing, or a twin that would still mention {@code float}, stops the
 * build with a message naming the file and line.
 */
public final class PrecisionTwins {
    private static final String LIST = "codegen/float64-twins.txt";
    private static final Pattern DIRECTIVE = Pattern.compile("^(\\s*)(.*?)\\s*//f64:\\s?(.*)$");
    /** A decimal float literal with its suffix; matched from its first digit, exponent included. */
    private static final Pattern FLOAT_LITERAL =
            Pattern.compile("(?<![\\w.])((?:\\d+\\.\\d*|\\.\\d+|\\d+)(?:[eE][-+]?\\d+)?)[fF](?!\\w)");

    private PrecisionTwins() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4 || !(args[2].equals("main") || args[2].equals("test"))) {
            System.err.println("usage: java codegen/PrecisionTwins.java REPO_ROOT MODULE_DIR main|test OUT_DIR");
            System.exit(2);
        }
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        String module = root.relativize(Path.of(args[1]).toAbsolutePath().normalize()).toString();
        String scope = args[2];
        Path out = Path.of(args[3]);
        List<Entry> entries = readList(root.resolve(LIST));
        Map<String, String> renames = renames(entries);
        deleteTree(out);
        for (Entry e : entries) {
            if (!e.module.equals(module) || !e.scope.equals(scope)) {
                continue;
            }
            Path source = root.resolve(module).resolve("src").resolve(scope).resolve("java").resolve(e.path);
            if (!Files.isRegularFile(source)) {
                throw new IllegalStateException(LIST + " lists " + source + ", which does not exist");
            }
            String twinName = renames.get(e.className());
            if (e.handWritten) {
                Path twin = source.resolveSibling(twinName + ".java");
                if (!Files.isRegularFile(twin)) {
                    throw new IllegalStateException(LIST + " says " + source + " has a hand-written twin "
                            + twin + ", which does not exist");
                }
                continue;
            }
            Path target = out.resolve(e.path).resolveSibling(twinName + ".java");
            String text = Files.readString(source, StandardCharsets.UTF_8);
            String twin = header(module + "/src/" + scope + "/java/" + e.path) + twin(text, renames, source);
            Files.createDirectories(target.getParent());
            Files.writeString(target, twin, StandardCharsets.UTF_8);
        }
    }

    /** The float64 twin of one float32 source text. */
    static String twin(String text, Map<String, String> renames, Path source) {
        String[] lines = text.split("\n", -1);
        StringBuilder result = new StringBuilder(text.length() + 256);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher directive = DIRECTIVE.matcher(line);
            if (directive.matches()) {
                line = directive.group(1) + directive.group(3);
            } else {
                line = rewrite(line, renames);
                if (line.matches(".*\\bfloat\\b.*")) {
                    throw new IllegalStateException(source + ":" + (i + 1) + " still says float in its twin: " + line);
                }
            }
            result.append(line);
            if (i < lines.length - 1) {
                result.append('\n');
            }
        }
        return result.toString();
    }

    private static String rewrite(String line, Map<String, String> renames) {
        for (Map.Entry<String, String> r : renames.entrySet()) {
            line = line.replaceAll("\\b" + r.getKey() + "\\b", r.getValue());
        }
        line = line.replace("floatToRawIntBits", "doubleToRawLongBits")
                .replace("floatToIntBits", "doubleToLongBits")
                .replace("intBitsToFloat", "longBitsToDouble");
        line = line.replace("Float", "Double")
                .replaceAll("\\bfloat\\b", "double")
                .replaceAll("\\bfloats\\b", "doubles")
                .replaceAll("\\bFLOATS\\b", "DOUBLES")
                .replaceAll("\\bfloat32\\b", "float64")
                .replaceAll("\\bFLOAT32\\b", "FLOAT64")
                .replace("<f4", "<f8");
        return FLOAT_LITERAL.matcher(line).replaceAll(m -> {
            String digits = m.group(1);
            return digits.matches("\\d+") ? digits + ".0" : digits;
        });
    }

    private static String header(String source) {
        return "// Generated by codegen/PrecisionTwins.java from " + source + ":\n"
                + "// the float64 twin of that float32 file. Edit that file, not this one.\n";
    }

    /** Each listed class X to X64, and XTest to X64Test, longest names first. */
    private static Map<String, String> renames(List<Entry> entries) {
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            names.add(e.className());
        }
        names.sort((a, b) -> b.length() - a.length());
        Map<String, String> renames = new LinkedHashMap<>();
        for (String name : names) {
            renames.put(name, name.endsWith("Test")
                    ? name.substring(0, name.length() - 4) + "64Test"
                    : name + "64");
        }
        return renames;
    }

    /** One listed file; a hand-written one has its twin beside it and is only renamed in others. */
    private record Entry(String module, String scope, String path, boolean handWritten) {
        String className() {
            String file = path.substring(path.lastIndexOf('/') + 1);
            return file.substring(0, file.length() - ".java".length());
        }
    }

    private static List<Entry> readList(Path list) throws IOException {
        List<Entry> entries = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            lineNumber++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            String[] fields = content.split("\\s+");
            if (fields.length < 3 || fields.length > 4 || !(fields[1].equals("main") || fields[1].equals("test"))
                    || !fields[2].endsWith(".java") || fields.length == 4 && !fields[3].equals("hand-written")) {
                throw new IllegalStateException(list + ":" + lineNumber
                        + ": expected 'MODULE main|test path/to/Class.java [hand-written]', got '" + content + "'");
            }
            entries.add(new Entry(fields[0], fields[1], fields[2], fields.length == 4));
        }
        return entries;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
