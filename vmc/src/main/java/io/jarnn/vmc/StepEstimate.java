package io.jarnn.vmc;

/**
 * What a {@link StepStrategy} measured in one step: the energy's sample mean and variance
 * (denominator n - 1), the SR form and CG iterations ({@code null} and 0 without SR), the wall
 * times of its phases, and the first sample whose local energy is not finite (-1 if none) with
 * that energy. A strategy that cannot split its time (a remote job) puts it all in
 * {@code samplingNanos}.
 */
public record StepEstimate(double energy, double variance, StochasticReconfiguration.Form srForm, int cgIterations,
                           long samplingNanos, long localEnergyNanos, long gradientNanos, long solveNanos,
                           long nonFiniteSample, double nonFiniteEnergy) {

    /** A step stopped by the local energy {@code energy} of sample {@code sample}, which is not finite. */
    public static StepEstimate nonFinite(long sample, double energy, long samplingNanos, long localEnergyNanos) {
        if (sample < 0 || Double.isFinite(energy)) {
            throw new IllegalArgumentException("sample, energy: expected a sample >= 0 and a non-finite energy but got "
                    + sample + ", " + energy);
        }
        return new StepEstimate(Double.NaN, Double.NaN, null, 0, samplingNanos, localEnergyNanos, 0, 0, sample, energy);
    }

    /** Whether a local energy was not finite (the step cannot be taken). */
    public boolean failed() {
        return nonFiniteSample >= 0;
    }
}
