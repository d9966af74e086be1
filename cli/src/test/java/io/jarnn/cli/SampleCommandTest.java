package io.jarnn.cli;

import io.jarnn.core.Tensor;
import io.jarnn.core.npy.Npy;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.DirectSampler;
import io.jarnn.nn.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleCommandTest {
    @TempDir
    Path dir;

    private Path model;

    private Path model() throws IOException {
        if (model == null) {
            model = ModelFixtures.save(dir, "model.npz", ModelFixtures.conv());
        }
        return model;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void writesTheSamplesAndLogProbabilitiesOfOneLibraryCall() throws IOException {
        Cli r = Cli.run("sample", model().toString(), "--samples", "300", "--seed", "11", "--log-prob",
                "--out", file("s.npy")).assertOk();
        ARNN m = ModelFixtures.conv();
        Samples expected = DirectSampler.of(m).sample(300, 11, true);
        Tensor samples = Npy.read(dir.resolve("s.npy"));
        Tensor logProb = Npy.read(dir.resolve("s.log_prob.npy"));
        assertArrayEquals(new int[]{300, 8}, samples.shape());
        assertTrue(expected.configurations().contentEquals(samples), "samples differ from DirectSampler's");
        assertTrue(expected.logProbabilities().contentEquals(logProb), "log-probabilities differ from DirectSampler's");
        // log p = machinePow * logPsi of the drawn configuration.
        Tensor logPsi = m.logPsi(samples);
        for (int b = 0; b < 300; b++) {
            assertEquals(m.machinePow() * logPsi.get(b), logProb.get(b), 1e-4, "sample " + b);
        }
        assertEquals("wrote " + file("s.npy") + ": float32 (300, 8), seed 11\nwrote " + file("s.log_prob.npy")
                + ": float32 (300,), log-probabilities\n", r.out());
        assertTrue(r.err().matches("sampled 300 configurations of Spin\\(s=1/2, N=8\\) in \\d+\\.\\d\\d s: [\\d,]+ "
                + "samples/s \\(\\d+ threads?, .+\\)\\R"), r.err());
    }

    @Test
    void theThreadCountDoesNotChangeTheSamples() throws IOException {
        Cli.run("sample", model().toString(), "--samples", "1500", "--out", file("one.npy"), "--threads", "1").assertOk();
        Cli.run("sample", model().toString(), "--samples", "1500", "--out", file("two.npy"), "--threads", "2").assertOk();
        assertArrayEquals(Files.readAllBytes(dir.resolve("one.npy")), Files.readAllBytes(dir.resolve("two.npy")));
        assertEquals(List.of("model.npz", "one.npy", "two.npy"), ModelFixtures.list(dir), "no log-prob file unless asked");
    }

    @Test
    void logProbOutNamesTheSecondFileAndImpliesLogProb() throws IOException {
        Cli.run("sample", model().toString(), "--samples", "10", "--out", file("s.npy"), "--log-prob-out",
                file("lp.npy")).assertOk();
        assertArrayEquals(new int[]{10}, Npy.read(dir.resolve("lp.npy")).shape());
        assertEquals(List.of("lp.npy", "model.npz", "s.npy"), ModelFixtures.list(dir));
    }

    @Test
    void badFlagsAreUsageErrors() throws IOException {
        String m = model().toString();
        Cli.run("sample", m, "--out", file("s.npy")).assertFails(Main.USAGE, "missing --samples N");
        Cli.run("sample", m, "--samples", "0", "--out", file("s.npy")).assertFails(Main.USAGE,
                "--samples: expected an integer 1..2147483647 but got '0'");
        Cli.run("sample", m, "--samples", "ten", "--out", file("s.npy")).assertFails(Main.USAGE, "--samples");
        Cli.run("sample", m, "--samples", "10").assertFails(Main.USAGE, "missing --out FILE.npy");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npz")).assertFails(Main.USAGE,
                "--out: expected a file name ending in .npy");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npy"), "--log-prob-out", file("s.npy"))
                .assertFails(Main.USAGE, "--out and --log-prob-out: expected different files");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npy"), "--threads", "0").assertFails(Main.USAGE,
                "--threads: expected an integer 1..4096 but got '0'");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npy"), "--log-prob=yes").assertFails(Main.USAGE,
                "--log-prob: takes no value");
        Cli.run("sample", "--samples", "10", "--out", file("s.npy")).assertFails(Main.USAGE, "missing MODEL");
        assertEquals(List.of("model.npz"), ModelFixtures.list(dir));
    }

    @Test
    void oneThreadIsOneThread() throws IOException {
        Cli r = Cli.run("sample", model().toString(), "--samples", "10", "--out", file("s.npy"), "--threads", "1")
                .assertOk();
        assertTrue(r.err().contains(" (1 thread, "), r.err());
    }

    /** Runs sample on {@code command} as Main does, returning the exception it failed with (or null). */
    private static Exception runDirectly(SampleCommand command, String... args) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        new CommandLine(command).setExecutionExceptionHandler((e, c, parsed) -> {
            failure.set(e);
            return Main.FAILURE;
        }).execute(args);
        return failure.get();
    }

    /** An output stream whose device fills up after {@code limit} bytes. */
    private static OutputStream fillsUpAfter(OutputStream out, long limit) {
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > limit) {
                    throw new IOException("No space left on device");
                }
                out.write(b, off, len);
            }
        };
    }

    /** A sample command whose samples (the first stream) fit and whose disk is full after the log-probabilities' header. */
    private static SampleCommand logProbDiskFills() {
        SampleCommand command = new SampleCommand(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
        AtomicInteger streams = new AtomicInteger();
        command.outputFilter = out -> streams.getAndIncrement() == 0 ? out : fillsUpAfter(out, 128);
        return command;
    }

    /**
     * Issue 10, item 2: "sample 10 --log-prob --out s.npy", delete s.npy, "sample 150 --log-prob"
     * on a full disk: exit 1, and s.npy was the new (150, 100) array next to the old (10,)
     * log-probabilities. Now the new files appear together or not at all.
     */
    @Test
    void aFullDiskWhileWritingTheLogProbabilitiesLeavesNoMismatchedPair() throws IOException {
        Cli.run("sample", model().toString(), "--samples", "10", "--log-prob", "--out", file("s.npy")).assertOk();
        Files.delete(dir.resolve("s.npy"));
        byte[] oldLogProb = Files.readAllBytes(dir.resolve("s.log_prob.npy"));
        Exception e = runDirectly(logProbDiskFills(), model().toString(), "--samples", "150", "--log-prob",
                "--out", file("s.npy"));
        assertTrue(e instanceof IOException && ErrorMessages.describe(e).contains("No space left on device"),
                String.valueOf(e));
        assertEquals(List.of("model.npz", "s.log_prob.npy"), ModelFixtures.list(dir),
                "no new samples next to the old log-probabilities, no temporary file");
        assertArrayEquals(oldLogProb, Files.readAllBytes(dir.resolve("s.log_prob.npy")));

        Cli.run("sample", model().toString(), "--samples", "10", "--log-prob", "--out", file("s.npy")).assertOk();
        byte[] oldSamples = Files.readAllBytes(dir.resolve("s.npy"));
        Exception again = runDirectly(logProbDiskFills(), model().toString(), "--samples", "150", "--log-prob",
                "--out", file("s.npy"));
        assertTrue(again instanceof IOException, String.valueOf(again));
        assertArrayEquals(oldSamples, Files.readAllBytes(dir.resolve("s.npy")), "a failure leaves the old pair");
        assertArrayEquals(oldLogProb, Files.readAllBytes(dir.resolve("s.log_prob.npy")));
    }

    /**
     * A full disk in the middle of a run of many blocks, met by the writer thread while the
     * sampler is on the next block: exit with the disk's error, the previous pair as it was,
     * no temporary file.
     */
    @Test
    void aFullDiskMidRunOnTheWriterThreadLeavesThePreviousPair() throws IOException {
        Cli.run("sample", model().toString(), "--samples", "10", "--log-prob", "--out", file("s.npy")).assertOk();
        byte[] oldSamples = Files.readAllBytes(dir.resolve("s.npy"));
        byte[] oldLogProb = Files.readAllBytes(dir.resolve("s.log_prob.npy"));
        SampleCommand command = new SampleCommand(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
        // Blocks of 1024 rows of 8 sites are 32 KiB: the samples fill the disk in their fourth block of twenty.
        command.outputFilter = out -> fillsUpAfter(out, 100_000);
        String m = model().toString();
        // Preemptively: a writer failure that never reached the sampler would leave it waiting forever.
        Exception e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runDirectly(command, m, "--samples",
                "20000", "--log-prob", "--threads", "1", "--out", file("s.npy")));
        assertTrue(e instanceof IOException && ErrorMessages.describe(e).contains("No space left on device"),
                String.valueOf(e));
        assertEquals(List.of("model.npz", "s.log_prob.npy", "s.npy"), ModelFixtures.list(dir));
        assertArrayEquals(oldSamples, Files.readAllBytes(dir.resolve("s.npy")));
        assertArrayEquals(oldLogProb, Files.readAllBytes(dir.resolve("s.log_prob.npy")));
    }

    /**
     * The thread running the command is interrupted mid-run (here by its own writer, once
     * 100 kB are written): the run ends with an InterruptedIOException, the previous pair as it
     * was, no temporary file.
     */
    @Test
    void anInterruptedRunLeavesThePreviousPair() throws Exception {
        Cli.run("sample", model().toString(), "--samples", "10", "--log-prob", "--out", file("s.npy")).assertOk();
        byte[] oldSamples = Files.readAllBytes(dir.resolve("s.npy"));
        byte[] oldLogProb = Files.readAllBytes(dir.resolve("s.log_prob.npy"));
        SampleCommand command = new SampleCommand(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
        AtomicReference<Thread> runner = new AtomicReference<>();
        command.outputFilter = out -> new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 100_000) {
                    runner.get().interrupt();
                }
                out.write(b, off, len);
            }
        };
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> failure.set(runDirectly(command, model.toString(), "--samples", "200000",
                "--log-prob", "--threads", "1", "--out", file("s.npy"))));
        runner.set(thread);
        thread.start();
        thread.join(60_000);
        assertTrue(!thread.isAlive(), "the interrupted run did not end");
        assertTrue(failure.get() instanceof InterruptedIOException, String.valueOf(failure.get()));
        assertEquals(List.of("model.npz", "s.log_prob.npy", "s.npy"), ModelFixtures.list(dir));
        assertArrayEquals(oldSamples, Files.readAllBytes(dir.resolve("s.npy")));
        assertArrayEquals(oldLogProb, Files.readAllBytes(dir.resolve("s.log_prob.npy")));
    }

    /** The same stale companion without a failure: new samples without --log-prob remove the old log-probabilities. */
    @Test
    void newSamplesWithoutLogProbRemoveTheOldLogProbabilities() throws IOException {
        Cli.run("sample", model().toString(), "--samples", "10", "--log-prob", "--out", file("s.npy")).assertOk();
        Cli r = Cli.run("sample", model().toString(), "--samples", "150", "--out", file("s.npy")).assertOk();
        assertEquals(List.of("model.npz", "s.npy"), ModelFixtures.list(dir));
        assertTrue(r.out().endsWith("removed " + file("s.log_prob.npy") + ": log-probabilities of the samples "
                + file("s.npy") + " replaced\n"), r.out());
        // With --log-prob-out elsewhere the default companion is just as stale.
        Cli.run("sample", model().toString(), "--samples", "10", "--log-prob", "--out", file("s.npy")).assertOk();
        Cli.run("sample", model().toString(), "--samples", "20", "--out", file("s.npy"), "--log-prob-out",
                file("lp.npy")).assertOk();
        assertEquals(List.of("lp.npy", "model.npz", "s.npy"), ModelFixtures.list(dir));
    }

    /**
     * Issue 10, item 3: three concurrent "sample --log-prob" runs to one --out; in one trial of
     * five the surviving samples and log-probabilities came from different runs.
     */
    @Test
    void concurrentRunsToOneOutLeaveAMatchingPair() throws Exception {
        String m = model().toString();
        ARNN arnn = ModelFixtures.conv();
        Map<Long, Samples> bySeed = new HashMap<>();
        for (long seed = 1; seed <= 3; seed++) {
            bySeed.put(seed, DirectSampler.of(arnn).sample(2000, seed, true));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int trial = 0; trial < 5; trial++) {
                List<Future<Cli>> runs = new ArrayList<>();
                for (long seed = 1; seed <= 3; seed++) {
                    String s = Long.toString(seed);
                    runs.add(pool.submit(() -> Cli.run("sample", m, "--samples", "2000", "--seed", s, "--log-prob",
                            "--out", file("s.npy"), "--threads", "1")));
                }
                for (Future<Cli> run : runs) {
                    run.get(60, TimeUnit.SECONDS).assertOk();
                }
                Tensor samples = Npy.read(dir.resolve("s.npy"));
                Tensor logProb = Npy.read(dir.resolve("s.log_prob.npy"));
                long samplesSeed = bySeed.entrySet().stream()
                        .filter(e -> e.getValue().configurations().contentEquals(samples))
                        .mapToLong(Map.Entry::getKey).findFirst().orElse(-1);
                long logProbSeed = bySeed.entrySet().stream()
                        .filter(e -> e.getValue().logProbabilities().contentEquals(logProb))
                        .mapToLong(Map.Entry::getKey).findFirst().orElse(-1);
                assertEquals(samplesSeed, logProbSeed, "trial " + trial + ": samples of seed " + samplesSeed
                        + " next to log-probabilities of seed " + logProbSeed);
                assertEquals(List.of("model.npz", "s.log_prob.npy", "s.npy"), ModelFixtures.list(dir));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Issue 10, item 10: a 300-character name passed the checks and failed after sampling. */
    @Test
    void aNameTooLongForTheFileSystemFailsBeforeSampling() throws IOException {
        String longName = file("s".repeat(300) + ".npy");
        Cli.run("sample", model().toString(), "--samples", "10", "--out", longName)
                .assertFails(Main.FAILURE, "cannot write " + longName + ": File name too long (304 bytes)");
        Cli.run("sample", model().toString(), "--samples", "10", "--out", file("s.npy"), "--log-prob-out", longName)
                .assertFails(Main.FAILURE, "File name too long");
        assertEquals(List.of("model.npz"), ModelFixtures.list(dir));
        // 242 bytes (251 for the log-probabilities) is within the limit (255 on Linux file systems) and works, lock and temporary files included.
        String fine = file("s".repeat(238) + ".npy");
        Cli.run("sample", model().toString(), "--samples", "10", "--log-prob", "--out", fine).assertOk();
        assertEquals(3, ModelFixtures.list(dir).size(), ModelFixtures.list(dir).toString());
    }

    /** Issue 10, item 5, for sample: the model under another name (a symbolic or hard link) is still the model. */
    @Test
    void anOutputThatIsTheModelUnderAnotherNameIsRefused() throws IOException {
        byte[] before = Files.readAllBytes(model());
        Path link = Files.createSymbolicLink(dir.resolve("link.npy"), model());
        Cli.run("sample", model().toString(), "--samples", "10", "--out", link.toString())
                .assertFails(Main.USAGE, "MODEL and --out: expected different files but '" + model() + "' and '"
                        + link + "' are the same file");
        Path hard = Files.createLink(dir.resolve("hard.npy"), model());
        Cli.run("sample", model().toString(), "--samples", "10", "--out", file("s.npy"), "--log-prob-out",
                hard.toString()).assertFails(Main.USAGE, "MODEL and --log-prob-out", "are the same file");
        Cli.run("sample", model().toString(), "--samples", "10", "--out", hard.toString(), "--log-prob-out",
                link.toString()).assertFails(Main.USAGE, "are the same file");
        assertArrayEquals(before, Files.readAllBytes(model()), "the model is intact");
        assertEquals(List.of("hard.npy", "link.npy", "model.npz"), ModelFixtures.list(dir));
    }

    @Test
    void unwritableOutputsFailBeforeSamplingAndLeaveNoFile() throws IOException {
        String m = model().toString();
        Path missingDir = dir.resolve("absent").resolve("s.npy");
        Cli.run("sample", m, "--samples", "10", "--out", missingDir.toString())
                .assertFails(Main.FAILURE, "cannot write " + missingDir, "does not exist");
        Path taken = Files.createDirectory(dir.resolve("taken.npy"));
        Cli.run("sample", m, "--samples", "10", "--out", taken.toString())
                .assertFails(Main.FAILURE, "cannot write " + taken + ": it is a directory");
        Cli.run("sample", m, "--samples", "10", "--out", file("s.npy"), "--log-prob-out", missingDir.toString())
                .assertFails(Main.FAILURE, "cannot write " + missingDir);
        assertEquals(List.of("model.npz", "taken.npy"), ModelFixtures.list(dir));
    }

    @Test
    void missingOrCorruptModelsFailCleanly() throws IOException {
        Cli.run("sample", file("absent.npz"), "--samples", "10", "--out", file("s.npy"))
                .assertFails(Main.FAILURE, "absent.npz: no such file or directory");
        Path cut = ModelFixtures.truncated(dir, ModelFixtures.conv());
        Cli.run("sample", cut.toString(), "--samples", "10", "--out", file("s.npy"))
                .assertFails(Main.FAILURE, cut.toString());
        assertEquals(List.of("truncated.npz"), ModelFixtures.list(dir));
    }
}
