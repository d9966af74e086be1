package io.jarnn.cli;

import io.jarnn.core.npy.AtomicFileSet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-step record of a training run: what {@code --log} writes as CSV and {@code --plot}
 * draws. Rows are kept in memory (a few numbers per step) and the file is rewritten whole,
 * atomically, by {@link #write}: a reader, or a run stopped half-way, never sees a half-written
 * line. The columns:
 * <pre>
 * step,energy,error,variance,relative_error,seconds
 * </pre>
 * {@code relative_error} is {@code |energy - exact| / |exact|}, empty without an exact energy;
 * {@code seconds} is the wall time since the start of the run. Numbers are written with
 * {@link Double#toString}, so that they read back as the same doubles.
 */
final class TrainingLog {
    static final String HEADER = "step,energy,error,variance,relative_error,seconds";

    /** One step: {@code <E> ± error}, the variance of the local energies, the wall time so far. */
    record Row(int step, double energy, double error, double variance, double seconds) {
    }

    private final double exact;
    private final List<Row> rows = new ArrayList<>();

    /** A log against the exact energy {@code exact}, NaN if there is none. */
    TrainingLog(double exact) {
        this.exact = exact;
    }

    void add(Row row) {
        rows.add(row);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    double exact() {
        return exact;
    }

    /** {@code |energy - exact| / |exact|}, NaN without an exact energy. */
    double relativeError(double energy) {
        return Double.isNaN(exact) ? Double.NaN : Math.abs(energy - exact) / Math.abs(exact);
    }

    /** The CSV text, header first. */
    String csv() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            double rel = relativeError(r.energy());
            text.append(r.step()).append(',').append(r.energy()).append(',').append(r.error()).append(',')
                    .append(r.variance()).append(',').append(Double.isNaN(rel) ? "" : Double.toString(rel))
                    .append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds())).append('\n');
        }
        return text.toString();
    }

    /** Replaces {@code file} with {@link #csv()}, atomically. */
    void write(Path file) throws IOException {
        byte[] bytes = csv().getBytes(StandardCharsets.UTF_8);
        try (AtomicFileSet set = AtomicFileSet.of(file)) {
            try (OutputStream out = set.create(file)) {
                out.write(bytes);
            }
            set.commit();
        }
    }

    /** Writes the energy picture of these rows to {@code file} (see {@link EnergyPlot}). */
    void plot(Path file, String title) throws IOException {
        int n = rows.size();
        int[] steps = new int[n];
        double[] energies = new double[n];
        double[] errors = new double[n];
        for (int k = 0; k < n; k++) {
            steps[k] = rows.get(k).step();
            energies[k] = rows.get(k).energy();
            errors[k] = rows.get(k).error();
        }
        EnergyPlot.write(file, title, steps, energies, errors, exact);
    }
}
