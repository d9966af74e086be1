package io.jarnn.vmc;

/**
 * What one VMC step measured, for loggers: {@code step} is the number of updates the model had
 * before this step (0 for the first; the energy is that model's), the energy's sample mean over
 * {@code samples} exact samples, its sample variance (denominator n - 1) and the standard error
 * of the mean sqrt(variance / n) (exact samples are independent: no autocorrelation correction),
 * the SR form used ({@code null} without SR) and CG iterations, and the step's wall time split
 * into sampling, local energies, gradient (Jacobian or logPsi gradient) and solve+update.
 */
public record StepRecord(long step, int samples, double energy, double standardError, double variance,
                         StochasticReconfiguration.Form srForm, int cgIterations,
                         long samplingNanos, long localEnergyNanos, long gradientNanos, long updateNanos) {

    /** Wall time of the whole step in nanoseconds. */
    public long nanos() {
        return samplingNanos + localEnergyNanos + gradientNanos + updateNanos;
    }

    /** Step time in seconds. */
    public double seconds() {
        return nanos() * 1e-9;
    }

    /** The CSV header matching {@link #csvRow()}. */
    public static String csvHeader() {
        return "step,energy,standard_error,variance,seconds";
    }

    /** {@code step,energy,standard_error,variance,seconds}, doubles in Java's shortest round-trip form. */
    public String csvRow() {
        return step + "," + energy + "," + standardError + "," + variance + "," + seconds();
    }
}
