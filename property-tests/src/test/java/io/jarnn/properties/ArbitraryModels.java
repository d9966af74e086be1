package io.jarnn.properties;

import io.jarnn.properties.ModelSpec.Kind;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.Arrays;
import java.util.List;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Generators of {@link ModelSpec}s covering what a user can build: dense, conv1d and conv2d; spin
 * 1/2, 1, 3/2, Fock nMax 1..4 and explicit local values; N 1..16 (conv2d: the largest square
 * L * L not above the drawn N, so 1, 4, 9 or 16); 1..4 layers; features 1..16 in the int or the
 * list form; conv1d kernel size 2..5 and dilation 1..4; conv2d kernel (1..4, 1..4) but not
 * (1, 1), dilation (1..3, 1..3); machinePow 1, 2 or non-integer; with
 * and without bias; every {@link WeightStyle}. QuickTheories shrinks the random draws behind
 * every component towards their lower bounds, i.e. towards the simplest model (dense, spin 1/2,
 * N = 1, one layer, width 1, ...), so counterexamples stay small.
 */
public final class ArbitraryModels {
    public static final int MAX_SITES = 16;
    public static final int MAX_LAYERS = 4;
    public static final int MAX_WIDTH = 16;

    private ArbitraryModels() {
    }

    /** Any model with N up to {@link #MAX_SITES}. */
    public static Gen<ModelSpec> models() {
        return models(WeightStyle.values());
    }

    /** Models with the given weight styles only. */
    public static Gen<ModelSpec> models(WeightStyle... styles) {
        return models(localSpaces().flatMap(local -> integers().between(1, MAX_SITES).map(n -> new Space(local, n))),
                Generate.pick(Arrays.asList(styles)));
    }

    /** Models whose space has at most {@code maxConfigurations} configurations (localSize^N). */
    public static Gen<ModelSpec> modelsWithAtMost(long maxConfigurations) {
        return models(localSpaces().flatMap(local -> integers().between(1, maxSites(local.localSize(), maxConfigurations))
                .map(n -> new Space(local, n))), Generate.enumValues(WeightStyle.class));
    }

    private static int maxSites(int localSize, long maxConfigurations) {
        int n = 0;
        for (long count = localSize; count <= maxConfigurations && n < MAX_SITES; count *= localSize) {
            n++;
        }
        return Math.max(n, 1);
    }

    /** A local space and the number of sites. */
    private record Space(LocalSpace local, int sites) {
    }

    /** The architecture half of a {@link ModelSpec}. */
    private record Shape(Kind kind, int layers, boolean perLayer, List<Integer> widths) {
    }

    /** Conv1d: kernelSize and dilation; conv2d: all four, (height, width) pairs. */
    private record Window(int kernelSize, int dilation, int kernelWidth, int dilationWidth) {
    }

    /** The numeric half of a {@link ModelSpec}. */
    private record Numbers(float machinePow, boolean bias, WeightStyle style, long seed) {
    }

    private static Gen<ModelSpec> models(Gen<Space> spaces, Gen<WeightStyle> styles) {
        Gen<Shape> shapes = Generate.pick(List.of(Kind.DENSE, Kind.CONV1D, Kind.CONV2D)).zip(integers().between(1, MAX_LAYERS),
                Generate.booleans(), lists().of(integers().between(1, MAX_WIDTH)).ofSize(MAX_LAYERS - 1), Shape::new);
        Gen<Window> windows = integers().between(2, 5).zip(integers().between(1, 4), integers().between(1, 4),
                integers().between(1, 3), Window::new);
        Gen<Numbers> numbers = machinePows().zip(Generate.pick(List.of(true, false)), styles,
                longs().between(0, 1_000_000), Numbers::new);
        return spaces.zip(shapes, windows, numbers, (space, s, w, n) -> {
            if (s.kind() != Kind.CONV2D) {
                return new ModelSpec(s.kind(), space.local(), space.sites(), s.layers(), s.perLayer(), s.widths(),
                        w.kernelSize(), w.dilation(), 1, 1, n.machinePow(), n.bias(), n.style(), n.seed());
            }
            // A square lattice, and a kernel height 1..4 (the conv1d draw 2..5, shifted) that is
            // not (1, 1), which has no taps in the exclusive layer.
            int side = (int) Math.sqrt(space.sites());
            int height = w.kernelSize() - 1;
            int width = height == 1 && w.kernelWidth() == 1 ? 2 : w.kernelWidth();
            return new ModelSpec(s.kind(), space.local(), side * side, s.layers(), s.perLayer(), s.widths(), height,
                    Math.min(w.dilation(), 3), width, w.dilationWidth(), n.machinePow(), n.bias(), n.style(), n.seed());
        });
    }

    /** Spin 1/2, 1, 3/2; Fock nMax 1..4; 2..5 distinct values in [-4, 4] with two decimals. */
    public static Gen<LocalSpace> localSpaces() {
        Gen<LocalSpace> spins = Generate.pick(List.of(1, 2, 3)).map(LocalSpace::spin);
        Gen<LocalSpace> fock = integers().between(1, 4).map(LocalSpace::fock);
        // "+ 0f" turns -0.0 into 0.0: they are one local value (0 == -0), not two.
        Gen<LocalSpace> values = integers().between(2, 5)
                .flatMap(size -> lists().of(integers().between(-400, 400).map(v -> v / 100f + 0f)).ofSize(size))
                .assuming(list -> list.stream().distinct().count() == list.size())
                .map(LocalSpace::values);
        return Gens.oneOf(List.of(spins, fock, values));
    }

    /** 1 and 2 (NetKet's default), and non-integer powers on both sides of them. */
    public static Gen<Float> machinePows() {
        return Gens.oneOf(List.of(Generate.pick(List.of(2f, 1f)), integers().between(30, 370).map(v -> v / 100f)));
    }
}
