package io.jarnn.vmc;

/**
 * Dense matrices built from single-site matrices by Kronecker products, independently of the
 * operators' {@code connected}: site 0 is the most significant factor and local index k of a site
 * is basis state k, which is the order of {@link StateIndex} on an unconstrained space. Spin 1/2:
 * local index 0 is the value +1, Z's +1 eigenstate (NetKet's convention).
 */
final class DenseOperators {
    static final double[][] I2 = {{1, 0}, {0, 1}};
    static final double[][] X = {{0, 1}, {1, 0}};
    static final double[][] Z = {{1, 0}, {0, -1}};
    /** X Z, real; Y = i X Z, so Y_i Y_j = -(XZ)_i (XZ)_j. */
    static final double[][] XZ = {{0, -1}, {1, 0}};

    private DenseOperators() {
    }

    static double[][] identity(int d) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    static double[][] kron(double[][] a, double[][] b) {
        int ra = a.length;
        int rb = b.length;
        double[][] out = new double[ra * rb][ra * rb];
        for (int i = 0; i < ra; i++) {
            for (int j = 0; j < ra; j++) {
                if (a[i][j] == 0) {
                    continue;
                }
                for (int k = 0; k < rb; k++) {
                    for (int l = 0; l < rb; l++) {
                        out[i * rb + k][j * rb + l] = a[i][j] * b[k][l];
                    }
                }
            }
        }
        return out;
    }

    /** The single-site matrix {@code m} acting on {@code site} of {@code n} sites of dimension d each. */
    static double[][] onSite(double[][] m, int site, int n) {
        int d = m.length;
        double[][] out = {{1}};
        for (int i = 0; i < n; i++) {
            out = kron(out, i == site ? m : identity(d));
        }
        return out;
    }

    static double[][] times(double[][] a, double[][] b) {
        int d = a.length;
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                if (a[i][k] == 0) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    /** {@code acc += f * m}, in place; returns acc. */
    static double[][] addScaled(double[][] acc, double f, double[][] m) {
        for (int i = 0; i < acc.length; i++) {
            for (int j = 0; j < acc.length; j++) {
                acc[i][j] += f * m[i][j];
            }
        }
        return acc;
    }

    static double[][] transpose(double[][] a) {
        int d = a.length;
        double[][] t = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** Boson annihilation on nMax + 1 states: b|n> = sqrt(n)|n-1>. */
    static double[][] annihilation(int nMax) {
        double[][] b = new double[nMax + 1][nMax + 1];
        for (int n = 1; n <= nMax; n++) {
            b[n - 1][n] = Math.sqrt(n);
        }
        return b;
    }

    static double maxAbsDifference(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }
}
