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
        ProgressBar bar = new ProgressBar(err, "sampling", 1000, () -> now);
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
        ProgressBar bar = new ProgressBar(err, "sampling", 10_000, () -> now);
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
    void durationsReadNaturally() {
        assertEquals("1s", ProgressBar.duration(0.2));
        assertEquals("59s", ProgressBar.duration(58.5));
        assertEquals("2m05s", ProgressBar.duration(125));
        assertEquals("1h01m", ProgressBar.duration(3661));
    }
}
