package io.jarnn.cli;

import io.jarnn.core.npy.AtomicFileSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The picture of {@code jarnn train --plot}: the estimated energy against the step, with its
 * statistical error as a band of error bars, and the exact ground-state energy as a dashed
 * horizontal line when there is one. Drawn by XChart into a PNG in memory (no window: it runs
 * on a headless JVM, which {@link #png} makes sure of), then written atomically.
 */
final class EnergyPlot {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    private EnergyPlot() {
    }

    /**
     * Writes the PNG of {@code energies[k] ± errors[k]} at {@code steps[k]}, and of {@code exact}
     * unless it is NaN, to {@code file}, replacing it atomically.
     */
    static void write(Path file, String title, int[] steps, double[] energies, double[] errors, double exact)
            throws IOException {
        byte[] png = png(title, steps, energies, errors, exact);
        try (AtomicFileSet set = AtomicFileSet.of(file)) {
            try (OutputStream out = set.create(file)) {
                out.write(png);
            }
            set.commit();
        }
    }

    /** The PNG bytes of the picture {@link #write} writes. */
    static byte[] png(String title, int[] steps, double[] energies, double[] errors, double exact) throws IOException {
        if (steps.length != energies.length || steps.length != errors.length) {
            throw new IllegalArgumentException("steps, energies, errors: expected equal lengths but got "
                    + steps.length + ", " + energies.length + ", " + errors.length);
        }
        // AWT must not look for a display: with one set, a headless server run would fail or stall.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("step").yAxisTitle("energy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE)
                .setChartBackgroundColor(Color.WHITE).setAntiAlias(true);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        double[] x = new double[steps.length];
        for (int k = 0; k < steps.length; k++) {
            x[k] = steps[k];
        }
        if (steps.length > 0) {
            XYSeries energy = chart.addSeries("<E> ± error", x, energies.clone(), errors.clone());
            energy.setMarker(SeriesMarkers.NONE);
            energy.setLineColor(new Color(0x1f77b4));
        }
        if (!Double.isNaN(exact)) {
            double first = steps.length > 0 ? x[0] : 0;
            double last = steps.length > 0 ? x[x.length - 1] : 1;
            XYSeries line = chart.addSeries("exact " + String.format(java.util.Locale.ROOT, "%.6f", exact),
                    new double[]{first, last == first ? first + 1 : last}, new double[]{exact, exact});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(new Color(0xd62728));
            line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[]{6f, 4f}, 0f));
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
