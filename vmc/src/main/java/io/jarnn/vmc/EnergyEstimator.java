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

    /**
     * The local energies of {@code operator} by {@link LocalEnergies} (batched logPsi of the
     * connected configurations). A {@link LocalEnergies} is made for one model, and a VMC step
     * makes a new (immutable) model of the same configuration, so this keeps one, made on the
     * first call, and hands it each new model ({@link LocalEnergies#setModel}): its buffers are
     * allocated once per run, not per step. It is made again only for more rows than it holds
     * or a model of another configuration.
     */
    static EnergyEstimator of(Operator operator) {
        if (operator == null) {
            throw new IllegalArgumentException("operator: expected an operator but got null");
        }
        return new EnergyEstimator() {
            private LocalEnergies energies;

            @Override
            public void localEnergies(AutoregressiveModel model, double[] configurations, int rows, double[] out) {
                if (energies == null || energies.capacityRows() < rows || model == null
                        || !energies.model().config().equals(model.config())) {
                    energies = new LocalEnergies(operator, model, rows);
                } else if (energies.model() != model) {
                    energies.setModel(model);
                }
                energies.compute(configurations, 0, rows, out, 0, null, 0);
            }
        };
    }
}
