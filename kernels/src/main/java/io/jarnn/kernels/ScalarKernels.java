package io.jarnn.kernels;

/** Plain-Java reference kernels: the definition every vector kernel is held to. */
public final class ScalarKernels implements Kernels, BackwardKernels {
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    static final float SELU_SCALE = 1.0507009873554805f;
    static final float SELU_ALPHA = 1.6732632423543772f;
    /** scale * alpha, rounded once from the double product: selu'(z) for z -> 0 from below. */
    static final float SELU_SCALE_ALPHA = 1.7580993408473766f;

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void accumulateTaps(float[] x, int xOff, int xRowStride, int tapStride, int taps, int in,
                               float[] w, int wOff, int wTapStride, int wRowStride,
                               float[] y, int yOff, int yRowStride, int rows, int out) {
        for (int r = 0; r < rows; r++) {
            int yRow = yOff + r * yRowStride;
            int xRow = xOff + r * xRowStride;
            for (int c = 0; c < out; c++) {
                float acc = y[yRow + c];
                for (int t = 0; t < taps; t++) {
                    int xTap = xRow + t * tapStride;
                    int wTap = wOff + t * wTapStride + c;
                    for (int a = 0; a < in; a++) {
                        acc = Math.fma(x[xTap + a], w[wTap + a * wRowStride], acc);
                    }
                }
                y[yRow + c] = acc;
            }
        }
    }

    @Override
    public void convolveFromBias(float[] w, int wOff, int wRowStride, float[] panels, int taps, int in,
                                 float[] bias, int biasOff, float[] x, int xOff, int xRowStride, int tapStride,
                                 float[] y, int yOff, int yRowStride, int rows, int cols) {
        // The reference reads w, not the panels: the equivalence tests so check the packing.
        PlanarPanels.require(panels, rows, taps, in);
        for (int r = 0; r < rows; r++) {
            int wr = wOff + r * wRowStride;
            for (int j = 0; j < cols; j++) {
                float acc = bias[biasOff + r];
                for (int t = 0; t < taps; t++) {
                    for (int a = 0; a < in; a++) {
                        acc = Math.fma(w[wr + t * in + a], x[xOff + a * xRowStride + t * tapStride + j], acc);
                    }
                }
                y[yOff + r * yRowStride + j] = acc;
            }
        }
    }

    @Override
    public void selu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = selu(src[srcOff + i]);
        }
    }

    static float selu(float x) {
        return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (float) Math.expm1(x)); //f64: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    }

    @Override
    public void logNormalizeRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols, float machinePow) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            float xMax = rowMax(x, xr, cols);
            float sum = 0;
            for (int k = 0; k < cols; k++) {
                sum += (float) Math.exp(machinePow * (x[xr + k] - xMax)); //f64: sum += Math.exp(machinePow * (x[xr + k] - xMax));
            }
            float shift = (float) Math.log(sum) / machinePow; //f64: double shift = Math.log(sum) / machinePow;
            for (int k = 0; k < cols; k++) {
                out[outOff + r * cols + k] = (x[xr + k] - xMax) - shift;
            }
        }
    }

    @Override
    public void probabilityColumns(float[] x, int xOff, float[] out, int outOff, int rows, int cols, float machinePow) {
        for (int j = 0; j < cols; j++) {
            float xMax = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < rows; k++) {
                xMax = Math.max(xMax, x[xOff + k * cols + j]);
            }
            float sum = 0;
            for (int k = 0; k < rows; k++) {
                float e = (float) Math.exp(machinePow * (x[xOff + k * cols + j] - xMax)); //f64: double e = Math.exp(machinePow * (x[xOff + k * cols + j] - xMax));
                out[outOff + k * cols + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int k = 0; k < rows; k++) {
                out[outOff + k * cols + j] *= inv;
            }
        }
    }

    @Override
    public void logNormalizeColumns(float[] x, int xOff, int xRowStride, float[] out, int outOff, int outRowStride,
                                    int rows, int cols, float machinePow) {
        for (int j = 0; j < cols; j++) {
            float xMax = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < rows; k++) {
                xMax = Math.max(xMax, x[xOff + k * xRowStride + j]);
            }
            float sum = 0;
            for (int k = 0; k < rows; k++) {
                sum += (float) Math.exp(machinePow * (x[xOff + k * xRowStride + j] - xMax)); //f64: sum += Math.exp(machinePow * (x[xOff + k * xRowStride + j] - xMax));
            }
            float shift = (float) Math.log(sum) / machinePow; //f64: double shift = Math.log(sum) / machinePow;
            for (int k = 0; k < rows; k++) {
                out[outOff + k * outRowStride + j] = (x[xOff + k * xRowStride + j] - xMax) - shift;
            }
        }
    }

    // ---------------------------------------------------------------- backward

    @Override
    public void seluBackward(float[] a, int aOff, float[] dy, int dyOff, float[] dz, int dzOff, int n) {
        for (int i = 0; i < n; i++) {
            dz[dzOff + i] = dy[dyOff + i] * seluDerivative(a[aOff + i]);
        }
    }

    /** selu'(z) from a = selu(z). */
    static float seluDerivative(float a) {
        return a > 0 ? SELU_SCALE : a + SELU_SCALE_ALPHA;
    }

    @Override
    public void logNormalizeRowsBackward(float[] x, int xOff, float[] c, int cOff, float[] dx, int dxOff,
                                         int rows, int cols, float machinePow) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            float xMax = rowMax(x, xr, cols);
            float s = 0;
            float sumC = 0;
            for (int k = 0; k < cols; k++) {
                s += (float) Math.exp(machinePow * (x[xr + k] - xMax)); //f64: s += Math.exp(machinePow * (x[xr + k] - xMax));
                sumC += c[cOff + r * cols + k];
            }
            float q = sumC / s;
            for (int k = 0; k < cols; k++) {
                float e = (float) Math.exp(machinePow * (x[xr + k] - xMax)); //f64: double e = Math.exp(machinePow * (x[xr + k] - xMax));
                dx[dxOff + r * cols + k] = c[cOff + r * cols + k] - e * q;
            }
        }
    }

    @Override
    public void logNormalizeRowsBackwardChosen(float[] x, int xOff, int[] chosen, int chosenOff,
                                               float[] weights, int weightsOff, int rowsPerWeight,
                                               float[] dx, int dxOff, int rows, int cols, float machinePow) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            float xMax = rowMax(x, xr, cols);
            float s = 0;
            for (int k = 0; k < cols; k++) {
                s += (float) Math.exp(machinePow * (x[xr + k] - xMax)); //f64: s += Math.exp(machinePow * (x[xr + k] - xMax));
            }
            float w = weights[weightsOff + r / rowsPerWeight];
            float q = w / s;
            int pick = chosen[chosenOff + r];
            for (int k = 0; k < cols; k++) {
                float e = (float) Math.exp(machinePow * (x[xr + k] - xMax)); //f64: double e = Math.exp(machinePow * (x[xr + k] - xMax));
                dx[dxOff + r * cols + k] = (k == pick ? w : 0f) - e * q;
            }
        }
    }

    @Override
    public void logNormalizeColumnsBackwardChosen(float[] x, int xOff, int xRowStride, float[] chosen, int chosenOff,
                                                  float[] weights, int weightsOff, int weightsStride,
                                                  float[] dx, int dxOff, int dxRowStride, int rows, int cols,
                                                  float machinePow) {
        for (int j = 0; j < cols; j++) {
            float xMax = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < rows; k++) {
                xMax = Math.max(xMax, x[xOff + k * xRowStride + j]);
            }
            float s = 0;
            for (int k = 0; k < rows; k++) {
                s += (float) Math.exp(machinePow * (x[xOff + k * xRowStride + j] - xMax)); //f64: s += Math.exp(machinePow * (x[xOff + k * xRowStride + j] - xMax));
            }
            float w = weights[weightsOff + j * weightsStride];
            float q = w / s;
            int pick = (int) chosen[chosenOff + j];
            for (int k = 0; k < rows; k++) {
                float e = (float) Math.exp(machinePow * (x[xOff + k * xRowStride + j] - xMax)); //f64: double e = Math.exp(machinePow * (x[xOff + k * xRowStride + j] - xMax));
                dx[dxOff + k * dxRowStride + j] = (k == pick ? w : 0f) - e * q;
            }
        }
    }

    @Override
    public void transpose(float[] src, int srcOff, int srcRowStride, int rows, int cols,
                          float[] dst, int dstOff, int dstRowStride) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[dstOff + c * dstRowStride + r] = src[srcOff + r * srcRowStride + c];
            }
        }
    }

    @Override
    public void accumulateColumnSums(float[] x, int xOff, int rowStride, int rows, int cols, float[] out, int outOff) {
        for (int c = 0; c < cols; c++) {
            float acc = out[outOff + c];
            for (int r = 0; r < rows; r++) {
                acc += x[xOff + r * rowStride + c];
            }
            out[outOff + c] = acc;
        }
    }

    /**
     * Largest x of a row. Normalisations work with {@code p * (x - xMax)} and
     * {@code (x - xMax) - log(sum)/p}, never with {@code p*x - max(p*x)} or
     * {@code x - (max + log(sum))/p}: with logits of +-80 and p near 4, {@code p*x} is about 300
     * and its rounding (an ulp of 300 is 256 eps) would leave rows summing to one only within
     * some 1000 eps.
     */
    static float rowMax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, x[off + k]);
        }
        return max;
    }
}
