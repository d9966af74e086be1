package io.jarnn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Where each parameter of a model of one {@link ARNNConfig} sits, in both precisions alike: in
 * jarnn's flat parameter vector (the layers' own storage order, the vector that
 * {@code flatParameters}, {@code withParameters(float[])}, the flat gradients and the columns of
 * the per-sample Jacobian use) and in NetKet's arrays.
 *
 * <p>The flat vector holds the effective (unmasked) parameters only, layer by layer, each layer's
 * kernel entries then its bias: a dense layer its transposed panels (for each output site j in
 * ascending order an (out, K_j) block with {@code panel_j[c, r] = kernel[r, j*out + c]},
 * {@code K_j = j*in}, or {@code (j+1)*in} when inclusive), then the bias (N, out) in C order; a
 * convolution its kernel (K', in, out) in C order, then its bias (out); a 2D convolution the
 * (in, out) blocks of its unmasked kernel positions (i, j) in row-major order, then its bias (out). {@link #keys()} lists the
 * NetKet names in that order with their {@link #offset} and {@link #count}.
 *
 * <p>flax's order ({@code jax.flatten_util.ravel_pytree} of NetKet's parameters, which is the
 * column order of NetKet's Jacobians): the keys sorted as strings at every level, so
 * {@code _layers_10} comes before {@code _layers_2} and a layer's {@code bias} before its
 * {@code kernel}; each full array (masked entries included) in C order. {@link #flaxIndex(int)}
 * maps flat index e to its position there; every masked entry of a NetKet kernel is a position no
 * flat index maps to, whose value (and gradient) is 0.
 *
 * <p>Immutable and thread-safe.
 */
public final class ParameterLayout {
    private final List<String> keys;
    private final SequencedMap<String, int[]> shapes;
    private final Map<String, Integer> offsets = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final List<String> flaxKeys;
    private final Map<String, Long> flaxOffsets = new LinkedHashMap<>();
    private final int size;
    private final long flaxSize;
    private final List<LayerSpec> specs;
    /**
     * flaxIndex of every flat index, computed on first use (a dense model's map is as long as its
     * parameter vector; most uses of a layout never need it). Deterministic, so a race computes it
     * twice at worst; the volatile write publishes a filled array.
     */
    private volatile int[] flaxIndices;

    private ParameterLayout(ARNNConfig config) {
        this.shapes = ParameterKeys.shapes(config);
        this.keys = List.copyOf(shapes.keySet());
        List<LayerSpec> specs = config.layerSpecs();
        int offset = 0;
        for (int l = 0; l < specs.size(); l++) {
            LayerSpec spec = specs.get(l);
            offsets.put(ParameterKeys.kernel(l), offset);
            counts.put(ParameterKeys.kernel(l), Math.toIntExact(spec.usedKernelEntries()));
            offset = Math.addExact(offset, Math.toIntExact(spec.usedKernelEntries()));
            if (spec.useBias()) {
                int bias = product(spec.biasShape());
                offsets.put(ParameterKeys.bias(l), offset);
                counts.put(ParameterKeys.bias(l), bias);
                offset = Math.addExact(offset, bias);
            }
        }
        this.size = offset;
        List<String> sorted = new ArrayList<>(keys);
        // flax sorts each level's keys: layer names first ("_layers_10" < "_layers_2"), then
        // "bias" < "kernel"; '/' sorts before every digit, so sorting the joined names is the same.
        Collections.sort(sorted);
        this.flaxKeys = List.copyOf(sorted);
        long flax = 0;
        for (String key : flaxKeys) {
            flaxOffsets.put(key, flax);
            flax += product(shapes.get(key));
        }
        this.flaxSize = flax;
        this.specs = specs;
    }

    private int[] indices() {
        int[] cached = flaxIndices;
        if (cached != null) {
            return cached;
        }
        if (flaxSize > Integer.MAX_VALUE) {
            throw new IllegalStateException("flax's flat vector has " + flaxSize + " entries, more than an int indexes");
        }
        int[] flaxIndices = new int[size];
        for (int l = 0; l < specs.size(); l++) {
            LayerSpec spec = specs.get(l);
            int kernelOff = offsets.get(ParameterKeys.kernel(l));
            int kernelBase = (int) (long) flaxOffsets.get(ParameterKeys.kernel(l));
            switch (spec) {
                case MaskedDense1DSpec dense -> {
                    int cols = dense.sites() * dense.out();
                    int panel = kernelOff;
                    for (int j = 0; j < dense.sites(); j++) {
                        int rows = dense.panelRows(j);
                        for (int c = 0; c < dense.out(); c++) {
                            for (int r = 0; r < rows; r++) {
                                flaxIndices[panel + c * rows + r] = kernelBase + r * cols + j * dense.out() + c;
                            }
                        }
                        panel += rows * dense.out();
                    }
                }
                case MaskedConv1DSpec conv -> {
                    for (int e = 0; e < counts.get(ParameterKeys.kernel(l)); e++) {
                        flaxIndices[kernelOff + e] = kernelBase + e;
                    }
                }
                case MaskedConv2DSpec conv -> {
                    // The taps, row-major over the unmasked (i, j), each an (in, out) block.
                    int block = conv.in() * conv.out();
                    int e = kernelOff;
                    for (int i = 0; i < conv.kernelHeight(); i++) {
                        for (int j = 0; j < conv.tapsInRow(i); j++) {
                            int position = kernelBase + (i * conv.kernelWidth() + j) * block;
                            for (int k = 0; k < block; k++) {
                                flaxIndices[e++] = position + k;
                            }
                        }
                    }
                }
            }
            if (spec.useBias()) {
                String key = ParameterKeys.bias(l);
                for (int e = 0; e < counts.get(key); e++) {
                    flaxIndices[offsets.get(key) + e] = (int) (flaxOffsets.get(key) + e);
                }
            }
        }
        this.flaxIndices = flaxIndices;
        return flaxIndices;
    }

    /** The layout of models of {@code config} (either dtype). */
    public static ParameterLayout of(ARNNConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
        return new ParameterLayout(config);
    }

    private static int product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        return Math.toIntExact(p);
    }

    /** Length of the flat parameter vector: the effective (unmasked) parameters. */
    public int size() {
        return size;
    }

    /** Number of entries of NetKet's arrays, masked ones included: the length of flax's flat vector. */
    public long flaxSize() {
        return flaxSize;
    }

    /** NetKet's names in flat-vector order (layer by layer, kernel then bias). */
    public List<String> keys() {
        return keys;
    }

    /** NetKet's names in flax's order (sorted as strings). */
    public List<String> flaxKeys() {
        return flaxKeys;
    }

    /** NetKet's shape of {@code key} (a copy). */
    public int[] shape(String key) {
        return shapes.get(requireKey(key)).clone();
    }

    /** Where {@code key}'s effective entries start in the flat vector. */
    public int offset(String key) {
        return offsets.get(requireKey(key));
    }

    /** How many effective entries {@code key} has in the flat vector (a dense kernel: its unmasked ones). */
    public int count(String key) {
        return counts.get(requireKey(key));
    }

    /** Where {@code key}'s full array starts in flax's flat vector. */
    public long flaxOffset(String key) {
        return flaxOffsets.get(requireKey(key));
    }

    /** The position in flax's flat vector of flat index {@code e}. */
    public long flaxIndex(int e) {
        if (e < 0 || e >= size) {
            throw new IllegalArgumentException("e: expected a flat index 0.." + (size - 1) + " but got " + e);
        }
        return indices()[e];
    }

    /**
     * The position within {@code key}'s own NetKet array (C order) of flat index {@code e}, which
     * must lie in {@code key}'s range.
     */
    public int arrayIndex(String key, int e) {
        int off = offset(key);
        if (e < off || e >= off + count(key)) {
            throw new IllegalArgumentException("e: expected a flat index of " + key + " (" + off + ".." + (off + count(key) - 1)
                    + ") but got " + e);
        }
        return (int) (indices()[e] - flaxOffsets.get(key));
    }

    /** {@link #flaxIndex} of every flat index, as ints; throws if flax's vector is longer than an int can index. */
    public int[] flaxIndices() {
        return indices().clone();
    }

    /** The layout's own map, shared (callers in this package do not modify it). */
    int[] flaxIndicesShared() {
        return indices();
    }

    private String requireKey(String key) {
        if (key == null || !offsets.containsKey(key)) {
            throw new IllegalArgumentException("key: expected one of " + keys + " but got " + key);
        }
        return key;
    }

    @Override
    public String toString() {
        return "ParameterLayout(" + size + " effective of " + flaxSize + " NetKet parameters, keys " + keys
                + ", flax order " + flaxKeys + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterLayout p && p.specs.equals(specs);
    }

    @Override
    public int hashCode() {
        return keys.hashCode() * 31 + size;
    }
}
