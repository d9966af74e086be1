package io.jarnn.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now = 5_000_000_000L;

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shortRunsPrintNothing() {
        ProgressBar bar = new ProgressBar(err, "sampling", 1000, () -> now, true);
        now += 400_000_000L;
        bar.update(500);
        now += 500_000_000L;
        bar.update(1000);
        bar.finish();
        assertFalse(bar.shown());
        assertEquals("", printed());
    }

    @Test
    void longRunsRedrawInPlaceAndEndTheLine() {
        ProgressBar bar = new ProgressBar(err, "sampling", 10_000, () -> now, true);
        now += 2_000_000_000L;
        bar.update(2_500);
        assertTrue(bar.shown());
        assertEquals("\rsampling [########----------------------]  25%  2,500/10,000  1,250/s  eta 6s", printed());
        now += 50_000_000L;
        bar.update(2_600); // within the redraw interval: not drawn
        assertEquals(1, printed().chars().filter(c -> c == '\r').count());
        now += 2_000_000_000L;
        bar.update(5_000);
        bar.finish();
        String[] frames = printed().split("\r");
        assertEquals(4, frames.length, printed());
        assertEquals("sampling [##############################] 100%  10,000/10,000  2,469/s\n", frames[3].replaceAll(" +\n", "\n"));
    }

    @Test
    void withoutATerminalItPrintsOccasionalFullLinesAndNoCarriageReturns() {
        ProgressBar bar = new ProgressBar(err, "sampling", 10_000, () -> now, false);
        for (int i = 1; i <= 250; i++) {
            now += 100_000_000L; // 25 s in all
            bar.update(40L * i);
        }
        bar.finish();
        assertEquals("sampling  40%  4,000/10,000  400/s  eta 15s\nsampling  80%  8,000/10,000  400/s  eta 5s\n",
                printed());
    }

    @Test
    void aFailedRunEndsTheDrawnLineSoTheErrorStartsItsOwn() {
        ProgressBar bar = new ProgressBar(err, "sampling", 10_000, () -> now, true);
        now += 2_000_000_000L;
        bar.update(2_500);
        bar.close();
        bar.close();
        assertTrue(printed().startsWith("\rsampling [########"), printed());
        assertTrue(printed().endsWith("eta 6s\n"), printed());
    }

    @Test
    void theShutdownHookEndsAnOpenLineOnlyOnce() {
        ProgressBar bar = new ProgressBar(err, "sampling", 10_000, () -> now, true);
        bar.endLine();
        assertEquals("", printed(), "nothing drawn, nothing to end");
        now += 2_000_000_000L;
        bar.update(2_500);
        bar.endLine(); // what Ctrl-C runs
        bar.close();
        assertEquals(1, printed().chars().filter(c -> c == '\n').count(), printed());
        assertTrue(printed().endsWith("\n"), printed());
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("1s", ProgressBar.duration(0.2));
        assertEquals("59s", ProgressBar.duration(58.5));
        assertEquals("2m05s", ProgressBar.duration(125));
        assertEquals("1h01m", ProgressBar.duration(3661));
    }
}
