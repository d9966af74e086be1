package io.jarnn.cli;

import java.util.Locale;

/** How energies are printed: {@code -25.10231 ± 0.00412}, the value to the error's second significant digit. */
final class EnergyFormat {
    /** Never fewer decimals than this, so that an exact-looking estimate still shows its digits. */
    private static final int MIN_DECIMALS = 4;
    private static final int MAX_DECIMALS = 10;

    private EnergyFormat() {
    }

    /** {@code value ± error}, both with the decimals that show the error's first two significant digits. */
    static String plusMinus(double value, double error) {
        int decimals = decimals(error);
        return String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", value, error);
    }

    static int decimals(double error) {
        if (!(error > 0) || !Double.isFinite(error)) {
            return MIN_DECIMALS;
        }
        int d = 1 - (int) Math.floor(Math.log10(error));
        return Math.clamp(d, MIN_DECIMALS, MAX_DECIMALS);
    }
}
