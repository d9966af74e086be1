package io.jarnn.vmc;

/**
 * The sample mean of n values (local energies), their variance with denominator n - 1 (0 for a
 * single value) and the mean's standard error sqrt(variance / n): the one place the driver and
 * the command line estimate an energy from samples.
 */
public record SampleStatistics(double mean, double variance, double standardError) {

    /** The statistics of {@code values[0 .. n)}, summed in ascending order. */
    public static SampleStatistics of(double[] values, int n) {
        if (values == null || n < 1 || n > values.length) {
            throw new IllegalArgumentException("values, n: expected n in 1.." + (values == null ? "?" : values.length)
                    + " values but got " + n + (values == null ? " and null" : ""));
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += values[i];
        }
        mean /= n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double d = values[i] - mean;
            squares += d * d;
        }
        double variance = n > 1 ? squares / (n - 1) : 0;
        return new SampleStatistics(mean, variance, Math.sqrt(variance / n));
    }
}
