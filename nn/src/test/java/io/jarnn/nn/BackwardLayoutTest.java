package io.jarnn.nn;

import io.jarnn.core.Tensor;
import io.jarnn.kernels.BackwardKernels;
import io.jarnn.kernels.Kernels;
import io.jarnn.kernels.ScalarKernels;
import io.jarnn.kernels.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The layers' backward products in the layouts {@link Backprop} runs (planar convolutions,
 * feature-major dense layers) against the row-major {@code backwardInput} /
 * {@code backwardParameters}: bitwise equal, as their javadocs say (each element takes the same
 * fused multiply-adds in the same order), with the scalar and the vector kernels, on shapes whose
 * positions, features and samples leave vector tails, for every kernel size, dilation and
 * exclusivity the finite-difference tests cover and more.
 */
class BackwardLayoutTest {

    static List<Arguments> convolutions() {
        List<Arguments> cases = new ArrayList<>();
        for (Kernels kernels : new Kernels[]{ScalarKernels.INSTANCE, VectorKernels.INSTANCE}) {
            for (int[] shape : new int[][]{{1, 17, 37}, {5, 3, 40}, {16, 2, 33}, {3, 19, 7}, {1, 1, 2}}) {
                for (int kernelSize = 2; kernelSize <= 4; kernelSize++) {
                    for (int dilation = 1; dilation <= 3; dilation++) {
                        for (boolean exclusive : new boolean[]{true, false}) {
                            cases.add(Arguments.of(kernels, shape[0], shape[1], shape[2], kernelSize, dilation,
                                    exclusive));
                        }
                    }
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} in={1} out={2} N={3} K={4} d={5} exclusive={6}")
    @MethodSource("convolutions")
    void planarConvolutionBackwardIsTheRowMajorOne(Kernels kernels, int in, int out, int sites, int kernelSize,
                                                   int dilation, boolean exclusive) {
        MaskedConv1DSpec spec = new MaskedConv1DSpec(sites, in, out, kernelSize, dilation, exclusive, true);
        SplittableRandom random = new SplittableRandom(31L * sites + 7 * in + out + kernelSize + dilation);
        MaskedConv1D layer = MaskedConv1D.fromNetKet(spec, random(random, spec.kernelShape()),
                random(random, spec.biasShape()), "_layers_0/");
        BackwardKernels backward = kernels.backward();
        int samples = 3;
        int stride = sites + Tuning.PLANAR_ROW_GAP;
        float[] x = values(random, samples * sites * in);
        float[] dy = values(random, samples * sites * out);
        String what = kernels.name() + " " + spec;

        float[] dx = new float[samples * sites * in + Kernels.OVERREAD_PADDING];
        layer.backwardInput(kernels, dy, 0, samples, dx, 0);
        float[] dyPlanar = toPlanar(dy, samples, sites, out, stride, random);
        float[] dxPlanar = values(random, samples * in * stride + Kernels.OVERREAD_PADDING);
        layer.backwardInputPlanar(kernels, dyPlanar, 0, samples, dxPlanar, 0, stride);
        assertSame(what + ": input gradient", dx, fromPlanar(dxPlanar, samples, sites, in, stride));

        int count = layer.parameterCount();
        float[] grad = values(random, count);
        float[] gradPlanar = grad.clone();
        float[] gradTapColumns = grad.clone();
        float[] scratch = new float[samples * sites * Math.max(in, out) + Kernels.OVERREAD_PADDING];
        layer.backwardParameters(kernels, backward, x, 0, dy, 0, samples, grad, 0, scratch);
        float[] xPlanar = toPlanar(x, samples, sites, in, stride, random);
        layer.backwardParametersPlanar(kernels, backward, xPlanar, 0, stride, dy, 0, samples, gradPlanar, 0);
        assertSame(what + ": parameter gradient", grad, gradPlanar);

        // All taps in one product, sample by sample from the planar output gradient, as Backprop
        // runs a layer whose taps' columns fill fewer vectors (any shape: the same bits). The
        // buffers start as NaN: nothing is read that was not written first.
        float[] shifted = new float[sites * layer.tapColumnsWidth() + Kernels.OVERREAD_PADDING];
        float[] tile = new float[in * layer.taps() * out + Kernels.OVERREAD_PADDING];
        java.util.Arrays.fill(shifted, Float.NaN);
        java.util.Arrays.fill(tile, Float.NaN);
        for (int s = 0; s < samples; s++) {
            layer.backwardParametersPlanarTapColumns(kernels, backward, xPlanar, s * in * stride, stride, dyPlanar,
                    s * out * stride, shifted, tile, gradTapColumns, 0);
        }
        assertSame(what + ": parameter gradient, taps as columns", grad, gradTapColumns);
    }

    static List<Arguments> denseLayers() {
        List<Arguments> cases = new ArrayList<>();
        for (Kernels kernels : new Kernels[]{ScalarKernels.INSTANCE, VectorKernels.INSTANCE}) {
            // {2, 37, 30, 5}: inputs of the first sites reach up to 29 * 37 = 1073 output columns, more
            // than one slice of Tuning.DENSE_BACKWARD_REDUCTION_BLOCK, so the feature-major input
            // gradient continues its sums from one slice into the next.
            for (int[] shape : new int[][]{{1, 17, 9, 37}, {5, 3, 7, 64}, {16, 2, 5, 17}, {3, 19, 4, 1}, {2, 37, 30, 5}}) {
                for (boolean exclusive : new boolean[]{true, false}) {
                    for (boolean bias : new boolean[]{true, false}) {
                        cases.add(Arguments.of(kernels, shape[0], shape[1], shape[2], shape[3], exclusive, bias));
                    }
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} in={1} out={2} N={3} samples={4} exclusive={5} bias={6}")
    @MethodSource("denseLayers")
    void featureMajorDenseBackwardIsTheRowMajorOne(Kernels kernels, int in, int out, int sites, int samples,
                                                   boolean exclusive, boolean bias) {
        MaskedDense1DSpec spec = new MaskedDense1DSpec(sites, in, out, exclusive, bias);
        SplittableRandom random = new SplittableRandom(17L * sites + 5 * in + out + samples);
        MaskedDense1D layer = MaskedDense1D.fromNetKet(spec, random(random, spec.kernelShape()),
                random(random, spec.biasShape()), "_layers_1/");
        BackwardKernels backward = kernels.backward();
        int rowIn = sites * in;
        int rowOut = sites * out;
        float[] x = values(random, samples * rowIn);
        float[] dy = values(random, samples * rowOut);
        String what = kernels.name() + " " + spec + ", " + samples + " samples";

        float[] dx = new float[samples * rowIn + Kernels.OVERREAD_PADDING];
        layer.backwardInput(kernels, dy, 0, samples, dx, 0);
        float[] dyT = new float[rowOut * samples + Kernels.OVERREAD_PADDING];
        Transpose.of(ScalarKernels.INSTANCE, dy, 0, samples, rowOut, dyT, 0);
        float[] dxT = values(random, rowIn * samples + Kernels.OVERREAD_PADDING);
        layer.backwardInputFeatureMajor(kernels, dyT, 0, samples, dxT, 0);
        float[] dxBack = new float[samples * rowIn];
        Transpose.of(ScalarKernels.INSTANCE, dxT, 0, rowIn, samples, dxBack, 0);
        assertSame(what + ": input gradient", java.util.Arrays.copyOf(dx, samples * rowIn), dxBack);

        int count = layer.parameterCount();
        float[] grad = values(random, count);
        float[] gradFeatureMajor = grad.clone();
        float[] gradStart = grad.clone();
        float[] scratch = new float[samples * Math.max(rowIn, rowOut) + Kernels.OVERREAD_PADDING];
        layer.backwardParameters(kernels, backward, x, 0, dy, 0, samples, grad, 0, scratch);
        // The samples in two blocks (the taps of one product), sample rows a gap apart.
        int first = (samples + 1) / 2;
        int xStride = rowIn + Tuning.PLANAR_ROW_GAP;
        float[] ones = new float[samples + Kernels.OVERREAD_PADDING];
        java.util.Arrays.fill(ones, 1f);
        float[] xRows = new float[2 * first * xStride + Kernels.OVERREAD_PADDING];
        float[] dyBlocks = new float[2 * rowOut * first + Kernels.OVERREAD_PADDING];
        for (int b = 0; b < samples; b++) {
            int block = b / first;
            int column = b % first;
            System.arraycopy(x, b * rowIn, xRows, (block * first + column) * xStride, rowIn);
            for (int r = 0; r < rowOut; r++) {
                dyBlocks[block * rowOut * first + r * first + column] = dy[b * rowOut + r];
            }
        }
        int blocks = samples / first;
        if (blocks > 0) {
            layer.backwardParametersFeatureMajor(kernels, xRows, 0, xStride, first * xStride, dyBlocks, 0, first,
                    rowOut * first, blocks, first, ones, gradFeatureMajor, 0);
        }
        int tail = samples - blocks * first;
        if (tail > 0) {
            // The last block is partial: its own call, its columns still first apart.
            layer.backwardParametersFeatureMajor(kernels, xRows, blocks * first * xStride, xStride, 0, dyBlocks,
                    blocks * rowOut * first, first, 0, 1, tail, ones, gradFeatureMajor, 0);
        }
        assertSame(what + ": parameter gradient", grad, gradFeatureMajor);

        // The same blocks with the input in column slabs (as Backprop stashes it): 24 columns
        // wide, so that slabs end inside a site's panel and the last slab is partial, and
        // Tuning's width (four 512-bit vectors).
        for (int slab : new int[]{24, Tuning.DENSE_GRADIENT_SLAB}) {
            int slabs = (rowIn + slab - 1) / slab;
            int slabStride = first * slab;
            int blockStride = slabs * slabStride;
            float[] xSlabs = values(random, 2 * blockStride + Kernels.OVERREAD_PADDING);
            for (int b = 0; b < samples; b++) {
                int block = b / first;
                int column = b % first;
                for (int k = 0; k < rowIn; k++) {
                    xSlabs[block * blockStride + (k / slab) * slabStride + column * slab + k % slab] = x[b * rowIn + k];
                }
            }
            float[] gradSlabs = gradStart.clone();
            if (blocks > 0) {
                layer.backwardParametersFeatureMajor(kernels, xSlabs, 0, slab, blockStride, slab, slabStride, dyBlocks, 0,
                        first, rowOut * first, blocks, first, ones, gradSlabs, 0);
            }
            if (tail > 0) {
                layer.backwardParametersFeatureMajor(kernels, xSlabs, blocks * blockStride, slab, 0, slab, slabStride,
                        dyBlocks, blocks * rowOut * first, first, 0, 1, tail, ones, gradSlabs, 0);
            }
            assertSame(what + ": parameter gradient, input in slabs of " + slab, grad, gradSlabs);
        }
    }

    private static Tensor random(SplittableRandom random, int[] shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.array()[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return t;
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** Row-major (samples, sites, width) to planar, rows {@code stride} apart, gaps holding noise. */
    private static float[] toPlanar(float[] rows, int samples, int sites, int width, int stride, SplittableRandom random) {
        float[] planar = values(random, samples * width * stride + Kernels.OVERREAD_PADDING);
        for (int s = 0; s < samples; s++) {
            for (int t = 0; t < sites; t++) {
                for (int k = 0; k < width; k++) {
                    planar[(s * width + k) * stride + t] = rows[(s * sites + t) * width + k];
                }
            }
        }
        return planar;
    }

    private static float[] fromPlanar(float[] planar, int samples, int sites, int width, int stride) {
        float[] rows = new float[samples * sites * width + Kernels.OVERREAD_PADDING];
        for (int s = 0; s < samples; s++) {
            for (int t = 0; t < sites; t++) {
                for (int k = 0; k < width; k++) {
                    rows[(s * sites + t) * width + k] = planar[(s * width + k) * stride + t];
                }
            }
        }
        return rows;
    }

    private static void assertSame(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " expected " + expected[i] + " but got " + actual[i]);
            }
        }
    }
}
