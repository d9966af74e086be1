package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.kernels.VectorKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public planar forward {@link MaskedConv1D#forwardPlanar} (what a model's full forward
 * runs, here on whole samples) bitwise against the scalar kernels' row-major
 * {@link MaskedConv1D#forward}, on shapes with tails: sites not a multiple of 16, widths 1, 3,
 * 16, 17 and 64 (in and out apart too), dilations 1 to 3, inclusive and exclusive layers, three
 * samples, both planes in one array at non-zero offsets with a stride longer than N. Floats
 * outside the outputs stay as they were. And its argument checks.
 */
class MaskedConv1DPlanarForwardTest {
    private static final int SAMPLES = 3;
    private static final int X_OFF = 5;
    private static final int Y_OFF = 7;
    private static final float SENTINEL = -123.25f;

    static List<Arguments> shapes() {
        int[][] widths = {{1, 1}, {3, 3}, {16, 16}, {17, 17}, {64, 64}, {1, 16}, {16, 3}, {17, 1}, {3, 64}};
        List<Arguments> list = new ArrayList<>();
        for (int[] w : widths) {
            for (int sites : new int[]{1, 5, 37, 130}) {
                for (int dilation = 1; dilation <= 3; dilation++) {
                    list.add(Arguments.of(sites, w[0], w[1], 3, dilation, false));
                }
                list.add(Arguments.of(sites, w[0], w[1], 2, 2, true));
            }
        }
        return list;
    }

    private static MaskedConv1D layer(int sites, int in, int out, int kernelSize, int dilation, boolean exclusive) {
        Random random = new Random(31L * sites + 7L * in + out + 1000L * dilation);
        int taps = exclusive ? kernelSize - 1 : kernelSize;
        float[] w = new float[taps * in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextFloat() * 2 - 1;
        }
        float[] b = new float[out];
        for (int i = 0; i < out; i++) {
            b[i] = random.nextFloat() - 0.5f;
        }
        return MaskedConv1D.fromNetKet(sites, in, out, kernelSize, dilation, exclusive, true,
                Tensor.wrap(w, taps, in, out), Tensor.wrap(b, out), "");
    }

    private static float[] input(int sites, int in) {
        Random random = new Random(sites * 131L + in);
        float[] x = new float[X_OFF + SAMPLES * sites * in + 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() * 4 - 2;
        }
        return x;
    }

    private static float[] output(int sites, int out) {
        float[] y = new float[Y_OFF + SAMPLES * sites * out + 3];
        Arrays.fill(y, SENTINEL);
        return y;
    }

    /** The scalar kernels' row-major forward, the reference. */
    private static float[] reference(MaskedConv1D layer, float[] x) {
        float[] y = output(layer.sites(), layer.outFeatures());
        layer.forward(ScalarKernels.INSTANCE, x, X_OFF, SAMPLES, y, Y_OFF, new float[SAMPLES * layer.sites() * Math.max(layer.inFeatures(), layer.outFeatures())]);
        return y;
    }

    @ParameterizedTest(name = "N={0}, in={1}, out={2}, K={3}, d={4}, exclusive={5}")
    @MethodSource("shapes")
    void publicPlanarForwardIsBitwiseTheRowMajorForward(int sites, int in, int out, int kernelSize, int dilation,
                                                        boolean exclusive) {
        MaskedConv1D layer = layer(sites, in, out, kernelSize, dilation, exclusive);
        float[] x = input(sites, in);
        float[] want = reference(layer, x);
        int stride = sites + 3;
        // Both planes in one array, x's after y's, as a model keeps a sample's planes.
        int yOff = 2;
        int xOff = yOff + SAMPLES * out * stride + 1;
        float[] planes = new float[xOff + SAMPLES * in * stride];
        Arrays.fill(planes, SENTINEL);
        for (int s = 0; s < SAMPLES; s++) {
            for (int t = 0; t < sites; t++) {
                for (int a = 0; a < in; a++) {
                    planes[xOff + (s * in + a) * stride + t] = x[X_OFF + (s * sites + t) * in + a];
                }
            }
        }
        for (Kernels kernels : List.<Kernels>of(VectorKernels.INSTANCE, ScalarKernels.INSTANCE)) {
            float[] result = planes.clone();
            layer.forwardPlanar(kernels, result, xOff, SAMPLES, result, yOff, stride);
            float[] got = output(sites, out);
            float[] untouched = planes.clone();
            for (int s = 0; s < SAMPLES; s++) {
                for (int t = 0; t < sites; t++) {
                    for (int c = 0; c < out; c++) {
                        int at = yOff + (s * out + c) * stride + t;
                        got[Y_OFF + (s * sites + t) * out + c] = result[at];
                        untouched[at] = result[at];
                    }
                }
            }
            assertArrayEquals(want, got, layer + " forwardPlanar with " + kernels.name());
            assertArrayEquals(untouched, result, layer + " forwardPlanar with " + kernels.name()
                    + ": the input, the gaps between rows and the floats around the planes unchanged");
        }
    }

    /**
     * The planar forward reads the next sample's input ahead of its products (to warm the
     * cache): with x ending exactly where the last sample's input ends (at the last row's N-th
     * position, not at the stride) it reads nothing past it and still gives the reference's
     * bits.
     */
    @Test
    void readsNothingPastTheLastSamplesInput() {
        int sites = 37;
        int in = 16;
        int out = 16;
        MaskedConv1D layer = layer(sites, in, out, 3, 1, false);
        float[] x = input(sites, in);
        float[] want = reference(layer, x);
        for (Kernels kernels : List.<Kernels>of(VectorKernels.INSTANCE, ScalarKernels.INSTANCE)) {
            int stride = sites + 5;
            float[] planes = new float[(SAMPLES * in - 1) * stride + sites];
            for (int s = 0; s < SAMPLES; s++) {
                for (int t = 0; t < sites; t++) {
                    for (int a = 0; a < in; a++) {
                        planes[(s * in + a) * stride + t] = x[X_OFF + (s * sites + t) * in + a];
                    }
                }
            }
            float[] y = new float[SAMPLES * out * stride];
            layer.forwardPlanar(kernels, planes, 0, SAMPLES, y, 0, stride);
            float[] got = output(sites, out);
            for (int s = 0; s < SAMPLES; s++) {
                for (int t = 0; t < sites; t++) {
                    for (int c = 0; c < out; c++) {
                        got[Y_OFF + (s * sites + t) * out + c] = y[(s * out + c) * stride + t];
                    }
                }
            }
            assertArrayEquals(want, got, layer + " forwardPlanar with " + kernels.name());
        }
    }

    @Test
    void rejectsBadPlanarArguments() {
        MaskedConv1D layer = layer(37, 3, 16, 3, 2, false);
        float[] planes = new float[64 * 40];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forwardPlanar(VectorKernels.INSTANCE, planes, 0, 1, planes, 3 * 40, 36));
        assertTrue(e.getMessage().startsWith("stride: expected at least N = 37 but got 36"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer.forwardPlanar(VectorKernels.INSTANCE, planes, 0, 1, planes, 2 * 40, 40));
        assertTrue(e.getMessage().startsWith("y: expected a range not overlapping x's [0, 117) but got [80, "),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer.forwardPlanar(VectorKernels.INSTANCE, planes, 0, 1, new float[15 * 40 + 36], 0, 40));
        assertTrue(e.getMessage().startsWith("y: expected at least 637 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> layer.forwardPlanar(VectorKernels.INSTANCE, planes, -1, 1, new float[16 * 40], 0, 40));
        assertTrue(e.getMessage().startsWith("x: expected a non-negative offset and sample count but got offset -1"),
                e.getMessage());
    }
}
