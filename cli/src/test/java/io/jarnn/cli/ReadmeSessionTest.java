package io.jarnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command-line session that README.md shows is what the commands print: each
 * {@code $ ./jarnn ...} line of the README's first {@code text} block is run in-process, in a
 * temporary directory, and its output compared line by line with the README's. Two things
 * differ by nature and are set aside: the JVM's incubator warning (printed by the launcher's
 * {@code java}, not by jarnn, so it is only checked to open each shown output), and the time and
 * rate of {@code sample}'s report line. Progress frames on stderr are not part of what the
 * README shows.
 */
class ReadmeSessionTest {
    private static final String JVM_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";
    private static final String TIMING = "in \\S+ s: \\S+ samples/s \\(.*\\)$";

    @TempDir
    Path dir;

    /** One {@code $ ./jarnn ...} line and the lines the README shows after it. */
    private record Shown(List<String> words, List<String> output) {
    }

    @Test
    void theReadmeSessionIsWhatTheCommandsPrint() throws IOException {
        List<Shown> session = readmeSession();
        assertEquals(List.of("init", "summary", "sample", "logpsi", "gradient"),
                session.stream().map(s -> s.words().getFirst()).toList(), "commands of the README's session");
        for (Shown shown : session) {
            String command = "./jarnn " + String.join(" ", shown.words());
            assertEquals(JVM_WARNING, shown.output().getFirst(), command + ": first line shown");
            String[] args = shown.words().stream()
                    .map(w -> w.endsWith(".npz") || w.endsWith(".npy") ? dir.resolve(w).toString() : w)
                    .toArray(String[]::new);
            Cli r = Cli.run(args).assertOk();
            List<String> printed = new ArrayList<>();
            Arrays.stream(r.err().split("[\r\n]+")).filter(l -> !l.isEmpty() && !l.startsWith("sampling "))
                    .forEach(printed::add);
            printed.addAll(r.out().lines().toList());
            assertEquals(normalise(shown.output().subList(1, shown.output().size())), normalise(printed), command);
        }
    }

    private List<String> normalise(List<String> lines) {
        String prefix = dir + java.io.File.separator;
        List<String> out = new ArrayList<>(lines.stream()
                .map(l -> l.replace(prefix, "").replaceAll(TIMING, "in T s: R samples/s (...)")).toList());
        while (!out.isEmpty() && out.getLast().isBlank()) {
            out.removeLast();
        }
        return out;
    }

    /** The first {@code ```text} block of README.md that starts with a {@code $ ./jarnn} line. */
    private static List<Shown> readmeSession() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```text\n$ ./jarnn ");
        assertTrue(start >= 0, "README.md must show a session in a ```text block starting with '$ ./jarnn'");
        start += "```text\n".length();
        List<String> lines = readme.substring(start, readme.indexOf("\n```", start)).lines().toList();
        List<Shown> session = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("$ ./jarnn ")) {
                session.add(new Shown(List.of(line.substring("$ ./jarnn ".length()).split(" ")), new ArrayList<>()));
            } else {
                session.getLast().output().add(line);
            }
        }
        return session;
    }
}
