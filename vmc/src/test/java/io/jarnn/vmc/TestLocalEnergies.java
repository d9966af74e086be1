package io.jarnn.vmc;

import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.AutoregressiveModel;

/**
 * E_loc(sigma) = sum_k H[sigma, sigma'_k] exp(logPsi(sigma'_k) - logPsi(sigma)) by one batched
 * logPsi over every connected configuration (k = 0 is sigma itself): the tests' stand-in for the
 * operators module's LocalEnergies.
 */
final class TestLocalEnergies implements EnergyEstimator {
    private final Operator operator;
    private Connections connections;

    TestLocalEnergies(Operator operator) {
        this.operator = operator;
    }

    @Override
    public void localEnergies(AutoregressiveModel model, double[] configurations, int rows, double[] out) {
        if (connections == null || connections.capacityRows() < rows) {
            connections = new Connections(operator, rows);
        }
        operator.connected(configurations, 0, rows, connections);
        int n = operator.hilbert().size();
        int m = connections.maxConnections();
        int total = 0;
        for (int b = 0; b < rows; b++) {
            total += connections.count(b);
        }
        double[] all = new double[total * n];
        int r = 0;
        for (int b = 0; b < rows; b++) {
            for (int k = 0; k < connections.count(b); k++) {
                System.arraycopy(connections.configurations(), (b * m + k) * n, all, r * n, n);
                r++;
            }
        }
        NdArray logPsi = model.logPsi(Tensor64.wrap(all, total, n));
        r = 0;
        for (int b = 0; b < rows; b++) {
            double self = logPsi.getDouble(r);
            double e = 0;
            for (int k = 0; k < connections.count(b); k++) {
                e += connections.elements()[b * m + k] * Math.exp(logPsi.getDouble(r + k) - self);
            }
            out[b] = e;
            r += connections.count(b);
        }
    }
}
