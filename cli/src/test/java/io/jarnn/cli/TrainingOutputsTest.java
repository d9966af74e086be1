package io.jarnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a training run writes besides the model: the CSV log, the PNG plot, the progress line. */
class TrainingOutputsTest {
    @TempDir
    Path dir;

    private static TrainingLog log(double exact) {
        TrainingLog log = new TrainingLog(exact);
        log.add(new TrainingLog.Row(1, -20.0, 0.5, 2.25, 0.1234));
        log.add(new TrainingLog.Row(2, -24.0, 0.125, 0.5, 0.25));
        log.add(new TrainingLog.Row(3, -25.0, 0.0625, 0.1, 0.5));
        log.add(new TrainingLog.Row(4, -25.5, 0.25, 0.2, 1.0)); // below the exact energy: a statistical dip
        return log;
    }

    @Test
    void theLogIsCsvWithTheRelativeErrorAgainstTheExactEnergy() throws IOException {
        Path file = dir.resolve("train.csv");
        log(-25.0).write(file);
        assertEquals(List.of("step,energy,error,variance,relative_error,seconds",
                "1,-20.0,0.5,2.25,0.2,0.123",
                "2,-24.0,0.125,0.5,0.04,0.250",
                "3,-25.0,0.0625,0.1,0.0,0.500",
                "4,-25.5,0.25,0.2,0.02,1.000"), Files.readAllLines(file));
        log(Double.NaN).write(file);
        assertEquals("1,-20.0,0.5,2.25,,0.123", Files.readAllLines(file).get(1), "no exact energy: empty column");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
    }

    @Test
    void thePlotIsAPngOfTheRequestedSizeWithTheExactLine() throws IOException {
        Path file = dir.resolve("energy.png");
        log(-25.5).plot(file, "ising:J=1,h=1 on chain:20:open");
        BufferedImage image = ImageIO.read(file.toFile());
        assertTrue(image != null, "a PNG that ImageIO reads");
        assertEquals(EnergyPlot.WIDTH, image.getWidth());
        assertEquals(EnergyPlot.HEIGHT, image.getHeight());
        byte[] with = Files.readAllBytes(file);
        byte[] without = EnergyPlot.png("t", new int[]{1, 2, 3, 4}, new double[]{-20, -24, -25, -25.5},
                new double[]{0.5, 0.125, 0.0625, 0.25}, Double.NaN);
        assertTrue(redPixels(with) > 100, "the exact energy is drawn as a red dashed line");
        assertEquals(0, redPixels(without), "no exact energy, no red line");
        assertTrue(Boolean.parseBoolean(System.getProperty("java.awt.headless")), "drawn headless");
    }

    @Test
    void aPlotOfNoStepsStillShowsTheExactEnergyAndMismatchedInputsAreRefused() throws IOException {
        assertTrue(redPixels(EnergyPlot.png("t", new int[0], new double[0], new double[0], -1.0)) > 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnergyPlot.png("t", new int[]{1}, new double[0], new double[0], -1.0));
        assertEquals("steps, energies, errors: expected equal lengths but got 1, 0, 0", e.getMessage());
    }

    /** Pixels of the exact line's colour, 0xd62728, give or take anti-aliasing. */
    private static int redPixels(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r > 180 && g < 80 && b < 80) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void theProgressLineShowsStepEnergyRelativeErrorRateAndEta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long[] now = {1_000_000_000L};
        try (TrainingProgress progress = new TrainingProgress(err, 0, 300, () -> now[0], true)) {
            now[0] += 2_000_000_000L;
            progress.update(20, -25.10231, 0.00412, 2.31e-4);
            now[0] += 10_000_000L;
            progress.update(21, -25.1, 0.004, 2e-4); // within the redraw interval
            assertEquals("\rstep 20/300  E = -25.1023 ± 0.0041  rel. error 2.31e-04  10.0 steps/s  eta 28s",
                    bytes.toString(StandardCharsets.UTF_8));
            now[0] += 28_000_000_000L;
            progress.update(300, -25.107, 0.0012, Double.NaN);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        String first = "step 20/300  E = -25.1023 ± 0.0041  rel. error 2.31e-04  10.0 steps/s  eta 28s";
        String last = "step 300/300  E = -25.1070 ± 0.0012  10.0 steps/s";
        // The shorter last frame blanks out what the longer one before it left, and ends the line.
        assertEquals("\r" + first + "\r" + last + " ".repeat(first.length() - last.length()) + "\n", printed);
    }

    @Test
    void offATerminalTheProgressIsAnOccasionalPlainLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long[] now = {0};
        try (TrainingProgress progress = new TrainingProgress(err, 100, 200, () -> now[0], false)) {
            for (int step = 101; step <= 200; step++) {
                now[0] += 500_000_000L;
                progress.update(step, -1.5, 0.01, 0.1);
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines::toString);
        assertEquals("step 120/200  E = -1.5000 ± 0.0100  rel. error 1.00e-01  2.0 steps/s  eta 40s", lines.getFirst());
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void energiesShowTheErrorsTwoSignificantDigits() {
        assertEquals("-25.1023 ± 0.0041", EnergyFormat.plusMinus(-25.10231, 0.00412));
        assertEquals("-25.10231 ± 0.00041", EnergyFormat.plusMinus(-25.10231, 0.00041));
        assertEquals("-1.0000 ± 0.0000", EnergyFormat.plusMinus(-1, 0));
        assertEquals("-3.0000 ± 1.5000", EnergyFormat.plusMinus(-3, 1.5));
    }
}
