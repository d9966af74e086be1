package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Map;

import static io.jarnn.nn.Parameters.shape;
import static io.jarnn.nn.Parameters.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whole models with known weights, their logPsi and conditionals computed by hand (in double)
 * from NetKet's definitions:
 * <pre>
 *   logPsi[i, k]   = z[i, k] - (1/p) log sum_k' exp(p z[i, k'])
 *   conditional    = exp(p logPsi[i, k])
 *   logPsi(sigma)  = sum_i logPsi[i, localIndex(sigma_i)]      (spin 1/2: value 1 is index 0)
 *   selu(x)        = 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * expm1(x))
 * </pre>
 * Masked dense entries hold NaN: the model must accept them and ignore them. The float64 twin
 * (generated) holds the model to 1e-12 of the same double evaluation with double weights; the
 * machine powers stay float32 numbers there, as a configuration holds them in either precision.
 */
class ARNNHandComputedTest {
    private static final float NAN = Float.NaN;
    private static final double TOLERANCE = 2e-6; //f64: private static final double TOLERANCE = 1e-12;
    private static final HilbertSpace SPIN_2 = HilbertSpace.spin(0.5, 2);
    private static final HilbertSpace SPIN_3 = HilbertSpace.spin(0.5, 3);

    static double selu(double x) {
        return 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * Math.expm1(x));
    }

    /** logPsi[k] = z[k] - (1/p) log(exp(p z[0]) + exp(p z[1])) for one site of a spin-1/2 model. */
    private static double[] logPsiRow(double z0, double z1, double p) {
        double lse = Math.log(Math.exp(p * z0) + Math.exp(p * z1));
        return new double[]{z0 - lse / p, z1 - lse / p};
    }

    private static int index(float spin) {
        return spin == 1f ? 0 : 1;
    }

    /** Compares the model's conditionalsLogPsi, conditionals and logPsi (batch and single) with the hand values. */
    private static void assertModel(ARNN model, float[] sigma, double[][] logPsiRows) {
        int n = sigma.length;
        Tensor input = Tensor.copyOf(sigma, 1, n);
        Tensor logCond = model.conditionalsLogPsi(input);
        Tensor cond = model.conditionals(input);
        double expectedLogPsi = 0;
        String where = model + " at sigma = " + Arrays.toString(sigma);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(logPsiRows[i][k], logCond.get(0, i, k), TOLERANCE, where + ": logPsi[" + i + ", " + k + "]");
                assertEquals(Math.exp(model.machinePow() * logPsiRows[i][k]), cond.get(0, i, k), TOLERANCE,
                        where + ": conditional[" + i + ", " + k + "]");
            }
            expectedLogPsi += logPsiRows[i][index(sigma[i])];
        }
        assertEquals(expectedLogPsi, model.logPsi(input).get(0), TOLERANCE, where + ": logPsi(batch)");
        assertEquals(expectedLogPsi, model.logPsi(sigma), TOLERANCE, where + ": logPsi(single)");
    }

    private static final float[][] SPIN_2_CONFIGURATIONS = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};

    @ParameterizedTest(name = "machinePow={0}")
    @ValueSource(floats = {2f, 1f, 0.7f}) //f64: @ValueSource(floats = {2f, 1f, 0.7f})
    void denseOneLayerOnTwoSpins(float p) { //f64: void denseOneLayerOnTwoSpins(float p) {
        // layers = 1: features = [2]; the only layer is exclusive: kernel (N*1, N*2) = (2, 4), bias (2, 2).
        // Column c = 2 j + k (output site j, feature k); only row 0 (site 0) -> columns 2, 3 (site 1) is used.
        float k02 = 0.7f;
        float k03 = -0.4f;
        float b00 = 0.3f;
        float b01 = -0.2f;
        float b10 = 0.1f;
        float b11 = 0.5f;
        Map<String, Tensor> params = Parameters.withBias(
                tensor(shape(2, 4),
                        NAN, NAN, k02, k03,
                        NAN, NAN, NAN, NAN),
                tensor(shape(2, 2),
                        b00, b01,
                        b10, b11));
        ARNN model = ARNN.fromParameters(Build.config(ARNNDense.builder(SPIN_2).layers(1).machinePow(p)), params);
        for (float[] sigma : SPIN_2_CONFIGURATIONS) {
            double s0 = sigma[0];
            // site 0 sees nothing: z = bias of site 0; site 1 sees s0 through column block 1 of row 0.
            double[] site0 = logPsiRow(b00, b01, p);
            double[] site1 = logPsiRow(k02 * s0 + b10, k03 * s0 + b11, p);
            assertModel(model, sigma, new double[][]{site0, site1});
        }
    }

    @ParameterizedTest(name = "machinePow={0}")
    @ValueSource(floats = {2f, 1f, 0.7f}) //f64: @ValueSource(floats = {2f, 1f, 0.7f})
    void denseTwoLayersOnTwoSpins(float p) { //f64: void denseTwoLayersOnTwoSpins(float p) {
        // features = [3, 2]. Layer 0 (exclusive): kernel (2, 6), bias (2, 3); row 0 -> columns 3..5 used.
        float[] a = {0.8f, -1.1f, 0.0f};           // kernel0[0, 3 + c]
        float[] c0 = {0.4f, -0.9f, 0.0f};          // bias0[0, :]
        float[] c1 = {-0.3f, 0.6f, 0.2f};          // bias0[1, :]
        // Layer 1 (inclusive): kernel (6, 4), bias (2, 2). Rows 0..2 = site 0 features, rows 3..5 = site 1;
        // columns 0..1 = site 0 outputs, 2..3 = site 1. Rows 3..5 x columns 0..1 are masked.
        float[][] k1 = {
                {0.5f, -0.6f, 0.3f, 0.9f},
                {-0.2f, 0.4f, -0.7f, 0.1f},
                {0.35f, 0.15f, 0.45f, -0.55f},
                {NAN, NAN, 1.2f, -0.8f},
                {NAN, NAN, -0.25f, 0.65f},
                {NAN, NAN, 0.05f, -1.3f}};
        float[] d0 = {0.1f, -0.1f};                // bias1[0, :]
        float[] d1 = {0.25f, 0.05f};               // bias1[1, :]
        Map<String, Tensor> params = Parameters.withBias(
                tensor(shape(2, 6),
                        NAN, NAN, NAN, a[0], a[1], a[2],
                        NAN, NAN, NAN, NAN, NAN, NAN),
                tensor(shape(2, 3), c0[0], c0[1], c0[2], c1[0], c1[1], c1[2]),
                Tensor.of(k1),
                tensor(shape(2, 2), d0[0], d0[1], d1[0], d1[1]));
        ARNN model = ARNN.fromParameters(Build.config(ARNNDense.builder(SPIN_2).layers(2).features(3, 2).machinePow(p)),
                params);
        for (float[] sigma : SPIN_2_CONFIGURATIONS) {
            double s0 = sigma[0];
            // Layer 0: h0 = c0 (site 0 sees nothing), h1 = s0 * a + c1. Then selu.
            double[] u0 = {selu(c0[0]), selu(c0[1]), selu(c0[2])};
            double[] u1 = {selu(s0 * a[0] + c1[0]), selu(s0 * a[1] + c1[1]), selu(s0 * a[2] + c1[2])};
            // Layer 1: z0[k] = u0 . k1[0..2][k] + d0[k];  z1[k] = u0 . k1[0..2][2+k] + u1 . k1[3..5][2+k] + d1[k].
            double[] z0 = new double[2];
            double[] z1 = new double[2];
            for (int k = 0; k < 2; k++) {
                z0[k] = u0[0] * k1[0][k] + u0[1] * k1[1][k] + u0[2] * k1[2][k] + d0[k];
                z1[k] = u0[0] * k1[0][2 + k] + u0[1] * k1[1][2 + k] + u0[2] * k1[2][2 + k]
                        + u1[0] * k1[3][2 + k] + u1[1] * k1[4][2 + k] + u1[2] * k1[5][2 + k] + d1[k];
            }
            assertModel(model, sigma, new double[][]{logPsiRow(z0[0], z0[1], p), logPsiRow(z1[0], z1[1], p)});
        }
    }

    @ParameterizedTest(name = "machinePow={0}")
    @ValueSource(floats = {2f, 1f, 0.7f}) //f64: @ValueSource(floats = {2f, 1f, 0.7f})
    void convTwoLayersOnThreeSpins(float p) { //f64: void convTwoLayersOnThreeSpins(float p) {
        // kernelSize 2, dilation 1, features [2, 2].
        // Layer 0 (exclusive, 1 tap): kernel (1, 1, 2) = e, bias f:   h[t] = s[t-1] * e + f.
        float[] e = {0.9f, -0.6f};
        float[] f = {-0.2f, 0.3f};
        // Layer 1 (inclusive, 2 taps): kernel (2, 2, 2) = g[tap][in][out], bias q:
        //   z[t][k] = sum_c u[t-1][c] g[0][c][k] + sum_c u[t][c] g[1][c][k] + q[k],  u = selu(h), u[-1] = 0.
        float[][][] g = {
                {{0.7f, -0.3f}, {0.2f, 0.5f}},
                {{-0.4f, 0.8f}, {1.1f, -0.9f}}};
        float[] q = {0.05f, -0.15f};
        Map<String, Tensor> params = Parameters.withBias(
                tensor(shape(1, 1, 2), e[0], e[1]),
                tensor(shape(2), f[0], f[1]),
                tensor(shape(2, 2, 2), g[0][0][0], g[0][0][1], g[0][1][0], g[0][1][1],
                        g[1][0][0], g[1][0][1], g[1][1][0], g[1][1][1]),
                tensor(shape(2), q[0], q[1]));
        ARNN model = ARNN.fromParameters(Build.config(ARNNConv1D.builder(SPIN_3).layers(2).features(2, 2).kernelSize(2)
                .dilation(1).machinePow(p)), params);
        for (float[] sigma : allThreeSpinConfigurations()) {
            double[][] u = new double[3][2];
            for (int t = 0; t < 3; t++) {
                double before = t >= 1 ? sigma[t - 1] : 0;
                u[t][0] = selu(before * e[0] + f[0]);
                u[t][1] = selu(before * e[1] + f[1]);
            }
            double[][] rows = new double[3][];
            for (int t = 0; t < 3; t++) {
                double[] z = new double[2];
                for (int k = 0; k < 2; k++) {
                    double previous = t >= 1 ? u[t - 1][0] * g[0][0][k] + u[t - 1][1] * g[0][1][k] : 0;
                    z[k] = previous + u[t][0] * g[1][0][k] + u[t][1] * g[1][1][k] + q[k];
                }
                rows[t] = logPsiRow(z[0], z[1], p);
            }
            assertModel(model, sigma, rows);
        }
    }

    @ParameterizedTest(name = "machinePow={0}")
    @ValueSource(floats = {2f, 0.7f}) //f64: @ValueSource(floats = {2f, 0.7f})
    void convDilation2OnThreeSpinsSkipsTheNeighbour(float p) { //f64: void convDilation2OnThreeSpinsSkipsTheNeighbour(float p) {
        // kernelSize 2, dilation 2, one layer (features [2]): exclusive with 1 tap at t - 2.
        //   z[0] = f, z[1] = f (site 1 does NOT see site 0), z[2] = s[0] * e + f.
        float[] e = {1.3f, -0.45f};
        float[] f = {0.2f, -0.1f};
        ARNN model = ARNN.fromParameters(Build.config(ARNNConv1D.builder(SPIN_3).layers(1).kernelSize(2).dilation(2)
                .machinePow(p)), Parameters.withBias(tensor(shape(1, 1, 2), e), tensor(shape(2), f)));
        for (float[] sigma : allThreeSpinConfigurations()) {
            double[] biasOnly = logPsiRow(f[0], f[1], p);
            double[] site2 = logPsiRow(sigma[0] * e[0] + f[0], sigma[0] * e[1] + f[1], p);
            assertModel(model, sigma, new double[][]{biasOnly, biasOnly, site2});
        }
    }

    @ParameterizedTest(name = "machinePow={0}")
    @ValueSource(floats = {2f, 0.7f}) //f64: @ValueSource(floats = {2f, 0.7f})
    void conv2dOnTwoByTwoSpins(float p) { //f64: void conv2dOnTwoByTwoSpins(float p) {
        // ARNNConv2D, one layer, kernel (2, 2): exclusive, so of the last kernel row only column 0
        // (the site to the left) is unmasked; the row above is read at columns c-1 and c. Sites
        // (r, c) in raster order 0 = (0, 0), 1 = (0, 1), 2 = (1, 0), 3 = (1, 1); padding reads 0:
        //   z0 = f,  z1 = s0 k[1][0] + f,  z2 = s0 k[0][1] + f,  z3 = s0 k[0][0] + s1 k[0][1] + s2 k[1][0] + f.
        // k[1][1] is masked: NaN there changes nothing.
        float[][][] k = {{{0.6f, -1.1f}, {0.35f, 0.9f}}, {{-0.8f, 0.25f}, {Float.NaN, Float.NaN}}};
        float[] f = {0.1f, -0.3f};
        Map<String, Tensor> params = Parameters.withBias(
                tensor(shape(2, 2, 1, 2), k[0][0][0], k[0][0][1], k[0][1][0], k[0][1][1], k[1][0][0], k[1][0][1],
                        k[1][1][0], k[1][1][1]),
                tensor(shape(2), f[0], f[1]));
        ARNN model = ARNN.fromParameters(Build.config(ARNNConv2D.builder(HilbertSpace.spin(0.5, 4)).layers(1)
                .kernelSize(2, 2).machinePow(p)), params);
        for (int code = 0; code < 16; code++) {
            float[] s = new float[4];
            for (int i = 0; i < 4; i++) {
                s[i] = ((code >> (3 - i)) & 1) == 0 ? 1f : -1f;
            }
            double[][] z = new double[4][2];
            for (int c = 0; c < 2; c++) {
                z[0][c] = f[c];
                z[1][c] = s[0] * k[1][0][c] + f[c];
                z[2][c] = s[0] * k[0][1][c] + f[c];
                z[3][c] = s[0] * k[0][0][c] + s[1] * k[0][1][c] + s[2] * k[1][0][c] + f[c];
            }
            double[][] rows = new double[4][];
            for (int i = 0; i < 4; i++) {
                rows[i] = logPsiRow(z[i][0], z[i][1], p);
            }
            assertModel(model, s, rows);
        }
    }

    private static float[][] allThreeSpinConfigurations() {
        float[][] all = new float[8][3];
        for (int r = 0; r < 8; r++) {
            for (int i = 0; i < 3; i++) {
                all[r][i] = ((r >> (2 - i)) & 1) == 0 ? 1f : -1f;
            }
        }
        return all;
    }
}
