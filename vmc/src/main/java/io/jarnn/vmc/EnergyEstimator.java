package io.jarnn.vmc;

import io.jarnn.nn.AutoregressiveModel;

/**
 * The local energies the driver averages: for each of {@code rows} configurations sigma_b
 * ({@code configurations[b*N .. (b+1)*N)}, local values in double),
 * {@code E_loc(sigma_b) = sum_sigma' H[sigma_b, sigma'] psi(sigma') / psi(sigma_b)} under
 * {@code model}, written to {@code out[0 .. rows)}. Implementations own their scratch (connections,
 * logPsi buffers) and are used from one thread; the result must not depend on any thread count.
 */
@FunctionalInterface
public interface EnergyEstimator {
    void localEnergies(AutoregressiveModel model, double[] configurations, int rows, double[] out);
}
