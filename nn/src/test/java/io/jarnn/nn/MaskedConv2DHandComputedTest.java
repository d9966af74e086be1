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
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MaskedConv2D} against NetKet's definition, by the full forward and by the per-site
 * cache, with the scalar and the vector kernels:
 * <ul>
 *   <li>a 3 x 3 image with one feature and a (2, 3) kernel written out by hand: the exclusive
 *   layer at (r, c) reads (r-1, c-1), (r-1, c), (r-1, c+1) and (r, c-1); the inclusive one also
 *   (r, c); dyadic numbers, so the comparison is exact;</li>
 *   <li>NetKet's algorithm transcribed (pad (kh-1)*dh rows on top, (kw/2)*dw columns left and
 *   ((kw-1)/2)*dw right, multiply the kernel by the mask, VALID cross-correlation with
 *   rhs_dilation (dh, dw)) on random shapes, features, kernels, dilations larger than the image
 *   included, within rounding;</li>
 *   <li>masked kernel entries (even NaN) have no effect and read back as zeros.</li>
 * </ul>
 */
class MaskedConv2DHandComputedTest {
    /** Rounding of a few dozen O(1) products in float32; the float64 twin must do far better. */
    private static final double TOLERANCE = 2e-5; //f64: private static final double TOLERANCE = 1e-12;
    private static final float B = 0.125f;

    static List<Kernels> kernels() {
        return List.of(ScalarKernels.INSTANCE, VectorKernels.INSTANCE);
    }

    // w[i][j] of the (2, 3) kernel, one feature in and out; w[1][1] is masked in the exclusive layer
    // and w[1][2] in both.
    private static final float[][] W = {{0.5f, -1.25f, 2f}, {0.75f, -0.5f, 3f}};
    private static final float[] IMAGE = {1f, -1f, 0.5f, 2f, -0.25f, 1.5f, -2f, 1f, 0.75f};

    private static float x(int r, int c) {
        return r < 0 || c < 0 || c > 2 ? 0f : IMAGE[r * 3 + c];
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void handComputedExclusiveAndInclusive(Kernels kernels) {
        for (boolean exclusive : new boolean[]{true, false}) {
            MaskedConv2DSpec spec = new MaskedConv2DSpec(9, 1, 1, 2, 3, 1, 1, exclusive, true);
            float[] want = new float[9];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    want[r * 3 + c] = B + W[0][0] * x(r - 1, c - 1) + W[0][1] * x(r - 1, c) + W[0][2] * x(r - 1, c + 1)
                            + W[1][0] * x(r, c - 1) + (exclusive ? 0f : W[1][1] * x(r, c));
                }
            }
            // Site (1, 1) written out: 0.125 + 0.5*1 - 1.25*(-1) + 2*0.5 + 0.75*2 (- 0.5*(-0.25) inclusive).
            assertEquals(exclusive ? 4.375f : 4.5f, want[4], 0f);
            Tensor kernel = Tensor.copyOf(new float[]{W[0][0], W[0][1], W[0][2], W[1][0], W[1][1], W[1][2]}, 2, 3, 1, 1);
            MaskedConv2D layer = MaskedConv2D.fromNetKet(spec, kernel, Tensor.copyOf(new float[]{B}, 1), "layer/");
            float[] got = forward(kernels, layer, IMAGE, 1);
            assertArrayEquals(want, got, "forward, exclusive=" + exclusive);
            assertArrayEquals(want, cached(kernels, layer, IMAGE, 1), "cache, exclusive=" + exclusive);
        }
    }

    /** NetKet's MaskedConv2D.__call__, literally: pad, mask * kernel, VALID dilated cross-correlation. */
    static double[] netKet(MaskedConv2DSpec spec, double[] x, double[] kernel, double[] bias, int samples) {
        int side = spec.side();
        int kh = spec.kernelHeight();
        int kw = spec.kernelWidth();
        int dh = spec.dilationHeight();
        int dw = spec.dilationWidth();
        int in = spec.in();
        int out = spec.out();
        int top = (kh - 1) * dh;
        int left = kw / 2 * dw;
        int right = (kw - 1) / 2 * dw;
        int height = side + top;
        int width = side + left + right;
        boolean[][] mask = new boolean[kh][kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                mask[i][j] = !(i == kh - 1 && j >= kw / 2 + (spec.exclusive() ? 0 : 1));
            }
        }
        double[] y = new double[samples * side * side * out];
        for (int s = 0; s < samples; s++) {
            double[] padded = new double[height * width * in];
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    for (int a = 0; a < in; a++) {
                        padded[((r + top) * width + c + left) * in + a] = x[((s * side + r) * side + c) * in + a];
                    }
                }
            }
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    for (int o = 0; o < out; o++) {
                        double sum = spec.useBias() ? bias[o] : 0;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                if (!mask[i][j]) {
                                    continue;
                                }
                                for (int a = 0; a < in; a++) {
                                    sum += kernel[((i * kw + j) * in + a) * out + o]
                                            * padded[((r + i * dh) * width + c + j * dw) * in + a];
                                }
                            }
                        }
                        y[((s * side + r) * side + c) * out + o] = sum;
                    }
                }
            }
        }
        return y;
    }

    static List<Arguments> randomShapes() {
        List<Arguments> list = new ArrayList<>();
        int[][] shapes = {
                // L, in, out, kh, kw, dh, dw
                {4, 1, 3, 3, 2, 1, 1}, {5, 2, 3, 2, 3, 1, 1}, {5, 3, 2, 3, 3, 2, 1}, {6, 2, 5, 2, 4, 1, 2},
                {4, 3, 3, 1, 3, 1, 1}, {3, 2, 2, 4, 5, 1, 1}, {5, 1, 17, 3, 2, 1, 3}, {3, 2, 2, 2, 2, 4, 4},
                {7, 4, 9, 3, 5, 2, 2}, {1, 2, 3, 3, 2, 1, 1}, {2, 19, 2, 2, 1, 1, 1}};
        for (Kernels k : kernels()) {
            for (int[] s : shapes) {
                for (boolean exclusive : new boolean[]{true, false}) {
                    list.add(Arguments.of(k, new MaskedConv2DSpec(s[0] * s[0], s[1], s[2], s[3], s[4], s[5], s[6],
                            exclusive, exclusive)));
                }
            }
        }
        return list;
    }

    @ParameterizedTest
    @MethodSource("randomShapes")
    void matchesNetKetsAlgorithm(Kernels kernels, MaskedConv2DSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.hashCode());
        int samples = 3;
        double[] x = randoms(random, samples * spec.sites() * spec.in());
        double[] kernel = randoms(random, spec.kernelHeight() * spec.kernelWidth() * spec.in() * spec.out());
        double[] bias = randoms(random, spec.out());
        double[] want = netKet(spec, x, kernel, bias, samples);

        // Masked entries hold NaN: NetKet multiplies them by the mask's zeros, jarnn never reads them.
        float[] k = new float[kernel.length];
        int block = spec.in() * spec.out();
        for (int e = 0; e < k.length; e++) {
            int position = e / block;
            k[e] = spec.isUsed(position / spec.kernelWidth(), position % spec.kernelWidth()) ? (float) kernel[e] : Float.NaN;
        }
        float[] b = new float[bias.length];
        for (int o = 0; o < b.length; o++) {
            b[o] = (float) bias[o];
        }
        MaskedConv2D layer = MaskedConv2D.fromNetKet(spec, Tensor.copyOf(k, spec.kernelShape()),
                spec.useBias() ? Tensor.copyOf(b, spec.out()) : null, "layer/");
        float[] xf = new float[x.length];
        for (int e = 0; e < x.length; e++) {
            xf[e] = (float) x[e];
        }
        assertClose(want, forward(kernels, layer, xf, samples), spec + " forward");
        assertClose(want, cached(kernels, layer, xf, samples), spec + " per-site cache");

        // kernel(): NetKet's shape, masked entries zero, unmasked ones as given.
        float[] back = layer.kernel().toArray();
        for (int e = 0; e < back.length; e++) {
            assertEquals(Float.isNaN(k[e]) ? 0f : k[e], back[e], 0f, "kernel() element " + e);
        }
    }

    @Test
    void unmaskedNonFiniteEntriesAreRejectedNamingTheElement() {
        MaskedConv2DSpec spec = new MaskedConv2DSpec(9, 1, 1, 2, 3, 1, 1, true, false);
        float[] k = new float[6];
        k[3] = Float.POSITIVE_INFINITY; // (1, 0): unmasked
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaskedConv2D.fromNetKet(spec, Tensor.copyOf(k, 2, 3, 1, 1), null, "_layers_0/"));
        assertTrue(e.getMessage().startsWith("_layers_0/kernel: expected finite values in used entries but element [1, 0, 0, 0]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MaskedConv2D.fromNetKet(spec, Tensor.zeros(3, 2, 1, 1), null, "_layers_0/"));
    }

    @Test
    void specsRejectWhatNetKetCannotBuild() {
        IllegalArgumentException notSquare = assertThrows(IllegalArgumentException.class,
                () -> new MaskedConv2DSpec(10, 1, 2, 3, 2, 1, 1, true, true));
        assertTrue(notSquare.getMessage().startsWith("sites: expected N = L * L"), notSquare.getMessage());
        assertTrue(notSquare.getMessage().contains("N=10"), notSquare.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> new MaskedConv2DSpec(9, 1, 2, 1, 1, 1, 1, true, true));
        assertTrue(one.getMessage().startsWith("kernelSize: expected"), one.getMessage());
        IllegalArgumentException dilation = assertThrows(IllegalArgumentException.class,
                () -> new MaskedConv2DSpec(9, 1, 2, 3, 2, 1, 0, true, true));
        assertTrue(dilation.getMessage().startsWith("kernelDilation: expected"), dilation.getMessage());
    }

    @Test
    void shapesCountsAndNetKetsInitialisationScale() {
        MaskedConv2DSpec first = new MaskedConv2DSpec(16, 1, 16, 3, 2, 1, 1, true, true);
        MaskedConv2DSpec hidden = new MaskedConv2DSpec(16, 16, 16, 3, 2, 1, 1, false, true);
        assertArrayEquals(new int[]{3, 2, 1, 16}, first.kernelShape());
        assertEquals(5, first.taps()); // 2 whole rows + 1 of the last
        assertEquals(6, hidden.taps());
        assertEquals(3 * 2 * 16 + 16, first.netKetParameterCount());
        assertEquals(5 * 16 + 16, first.storedParameterCount());
        assertEquals(6, first.kernelFanIn());
        assertEquals(Math.sqrt(6.0 / 5), first.kernelInitScale(), 1e-15);
        assertEquals(1.0, hidden.kernelInitScale(), 0);
        // L = 4, taps (i, j) with row shifts 2, 1, 0 and column offsets -1, 0: rows (L - shift),
        // columns (L - |offset|): (2 + 3 + 4) * (3 + 4) taps inside, minus the masked (0, 0)
        // of the last row (the exclusive layer keeps only column offset -1): 2*7 + 3*7 + 4*3.
        assertEquals((2 * 7 + 3 * 7 + 4 * 3) * 16, first.multiplyAddsPerSample());
    }

    private static double[] randoms(SplittableRandom random, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble() * 2 - 1;
        }
        return a;
    }

    private static void assertClose(double[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= TOLERANCE * (1 + Math.abs(want[i])))) {
                throw new AssertionError(what + ": element " + i + " expected " + want[i] + " but got " + got[i]);
            }
        }
    }

    /** The layer's full forward of {@code samples} images, output (samples, N, out). */
    static float[] forward(Kernels kernels, MaskedConv2D layer, float[] x, int samples) {
        int n = layer.sites();
        int width = Math.max(layer.inFeatures(), layer.outFeatures());
        float[] y = new float[samples * n * layer.outFeatures() + 5];
        layer.forward(kernels, x, 0, samples, y, 5, new float[samples * n * width]);
        float[] got = new float[samples * n * layer.outFeatures()];
        System.arraycopy(y, 5, got, 0, got.length);
        return got;
    }

    /**
     * Site by site through the layer's cache, as a model drives it: the exclusive layer computes
     * site t before t is pushed, an inclusive one after. Output (samples, N, out).
     */
    static float[] cached(Kernels kernels, MaskedConv2D layer, float[] x, int samples) {
        int n = layer.sites();
        int in = layer.inFeatures();
        int out = layer.outFeatures();
        LayerCache cache = layer.newCache(samples);
        cache.reset();
        float[] site = new float[out * samples + Kernels.OVERREAD_PADDING];
        float[] got = new float[samples * n * out];
        for (int t = 0; t < n; t++) {
            if (!layer.exclusive()) {
                cache.push(t, x, t * in, 1, n * in);
            }
            cache.computeSite(kernels, t, site, 0);
            if (layer.exclusive()) {
                cache.push(t, x, t * in, 1, n * in);
            }
            for (int s = 0; s < samples; s++) {
                for (int c = 0; c < out; c++) {
                    got[(s * n + t) * out + c] = site[c * samples + s];
                }
            }
        }
        return got;
    }
}
