package io.jarnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ./jarnn launcher's AOT cache: the flags it runs the CLI with keep a cache the JVM rejects
 * off the command's output (a real JDK 25, this test's), and its {@code aot_cache} function
 * (run by bash on a fake java) makes a cache once per jar and JDK, atomically, and never again
 * after a failed training run.
 */
class LauncherAotCacheTest {
    private static final Path LAUNCHER = Path.of("..", "jarnn").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** The words of the launcher's {@code AOT_QUIET=(...)}. */
    private static List<String> quietFlags() throws IOException {
        Matcher m = Pattern.compile("(?m)^AOT_QUIET=\\((.*)\\)$").matcher(Files.readString(LAUNCHER));
        assertTrue(m.find(), "AOT_QUIET=(...) in " + LAUNCHER);
        return List.of(m.group(1).trim().split("\\s+"));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> command, Path workDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -version} on {@code cache} with the launcher's quiet flags and {@code extra}. */
    private Run versionWithCache(Path cache, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(extra));
        command.addAll(quietFlags());
        command.add("-XX:AOTCache=" + cache);
        command.add("-version");
        return run(command, dir);
    }

    private static void assertOnlyTheVersion(Run r, String why) {
        assertEquals(0, r.exit(), why + ": " + r.err());
        assertEquals("", r.out(), why + ": stdout");
        assertFalse(r.err().toLowerCase().matches("(?s).*(aot|cds|shared|archive).*"), why + ": stderr " + r.err());
    }

    @Test
    void aCacheTheJvmRejectsPrintsNothing() throws Exception {
        Path missing = dir.resolve("missing.aot");
        assertOnlyTheVersion(versionWithCache(missing), "missing cache");

        Path garbage = dir.resolve("garbage.aot");
        Files.write(garbage, new byte[100_000]);
        assertOnlyTheVersion(versionWithCache(garbage), "garbage cache");

        Path real = dir.resolve("real.aot");
        Run made = run(List.of(java(), "-XX:AOTCacheOutput=" + real, "-version"), dir);
        assertEquals(0, made.exit(), made.out() + made.err());
        assertTrue(Files.size(real) > 0);
        // Compressed oops off (a heap over 32 GB): the JVM cannot map a cache made with them on.
        assertOnlyTheVersion(versionWithCache(real, "-Xmx40g"), "cache of another heap layout");

        Path truncated = dir.resolve("truncated.aot");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(real), (int) (Files.size(real) / 3)));
        assertOnlyTheVersion(versionWithCache(truncated), "truncated cache");
    }

    // ---- aot_cache, sourced from the launcher, on a fake JDK whose java logs its calls ----

    private Path jar;
    private Path jdk;
    private Path calls;

    /** A fake JDK whose training run (the java call with -XX:AOTCacheOutput) exits {@code trainingExit}. */
    private void fakeJdk(int trainingExit) throws IOException {
        jdk = dir.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
        calls = dir.resolve("calls.txt");
        String script = """
                #!/usr/bin/env bash
                echo "$*" >> "%s"
                for a in "$@"; do
                  case "$a" in
                    -XX:AOTCacheOutput=*) [[ %d == 0 ]] || exit %d; echo "cache of $*" > "${a#-XX:AOTCacheOutput=}" ;;
                  esac
                done
                exit 0
                """.formatted(calls, trainingExit, trainingExit);
        Path java = jdk.resolve("bin").resolve("java");
        Files.writeString(java, script);
        assertTrue(java.toFile().setExecutable(true));
        jar = dir.resolve("target").resolve("jarnn.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "a jar");
    }

    /** Runs {@code aot_cache JAR} as the launcher defines it; returns what it printed on stdout. */
    private Run aotCache() throws IOException, InterruptedException {
        String script = """
                set -euo pipefail
                JDK=%s; JAVA="$JDK/bin/java"; VECTOR=(--add-modules=jdk.incubator.vector)
                eval "$(sed -n -e '/^AOT_QUIET=/p' -e '/^stat_size_mtime()/,/^}/p' -e '/^aot_cache()/,/^}/p' %s)"
                aot_cache %s
                """.formatted(quote(jdk), quote(LAUNCHER), quote(jar));
        return run(List.of("bash", "-c", script), dir);
    }

    private static String quote(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    private int calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private List<String> aotDirectory() throws IOException {
        try (Stream<Path> s = Files.list(jar.resolveSibling("aot"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void makesTheCacheOnceByATrainingRunRenamedIntoPlace() throws Exception {
        fakeJdk(0);
        Run first = aotCache();
        assertEquals(0, first.exit(), first.err());
        Path cache = Path.of(first.out().trim());
        assertTrue(cache.getFileName().toString().matches("jarnn-[0-9]+-[0-9]+\\.aot"), first.out());
        assertTrue(Files.readString(cache).contains("sample"), "made by a sample run");
        assertTrue(Files.readString(cache).contains("-Xlog:aot=off"), "the training run is quiet too");
        assertEquals(2, calls(), "init, then the training run");
        assertEquals(List.of(cache.getFileName().toString()), aotDirectory(), "no temporary file left");
        assertTrue(first.err().contains("creating the JVM's AOT cache"), first.err());

        Run again = aotCache();
        assertEquals(first.out(), again.out());
        assertEquals(2, calls(), "the cache is reused, no training run");
        assertEquals("", again.err());

        // A rebuilt jar (other size and mtime) has a cache of its own; the stale one is deleted.
        Files.writeString(jar, "a rebuilt jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        Run rebuilt = aotCache();
        assertNotEquals(first.out(), rebuilt.out());
        assertEquals(4, calls());
        assertEquals(List.of(Path.of(rebuilt.out().trim()).getFileName().toString()), aotDirectory());

        // Another JDK (its release file) too.
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.4\"\n");
        Run otherJdk = aotCache();
        assertNotEquals(rebuilt.out(), otherJdk.out());
        assertEquals(6, calls());
    }

    @Test
    void aFailedTrainingRunLeavesNoCacheAndIsNotRetried() throws Exception {
        fakeJdk(1);
        Run first = aotCache();
        assertEquals(0, first.exit(), first.err());
        assertEquals("", first.out(), "no cache to use");
        assertEquals(2, calls());
        List<String> left = aotDirectory();
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.getFirst().endsWith(".failed"), left.toString());

        Run again = aotCache();
        assertEquals("", again.out());
        assertEquals("", again.err());
        assertEquals(2, calls(), "not retried");
    }

    @Test
    void anInterruptedTrainingRunEndsTheCommandAndIsRetriedNextTime() throws Exception {
        fakeJdk(130);
        Run first = aotCache();
        assertEquals(130, first.exit(), "the launcher exits as the interrupted JVM did");
        assertEquals("", first.out());
        assertEquals(List.of(), aotDirectory(), "no .failed mark, no temporary directory");

        Files.writeString(jdk.resolve("bin").resolve("java"),
                Files.readString(jdk.resolve("bin").resolve("java")).replace("[[ 130 == 0 ]]", "[[ 0 == 0 ]]"));
        Run again = aotCache();
        assertEquals(0, again.exit(), again.err());
        assertTrue(Files.isRegularFile(Path.of(again.out().trim())), again.out());
    }

    @Test
    void stdoutOfTheLauncherFunctionIsOnlyThePath() throws Exception {
        fakeJdk(0);
        Run r = aotCache();
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(Files.isRegularFile(Path.of(r.out().trim())), r.out());
        assertTrue(new String(Files.readAllBytes(Path.of(r.out().trim())), StandardCharsets.UTF_8).startsWith("cache of"));
    }
}
