package io.jarnn.properties;

import io.jarnn.nn.ARNNConfig.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

import java.util.List;

/**
 * Generators of {@link ModelSpec}s covering what a user can build: dense and conv1d; spin 1/2,
 * 1, 3/2, Fock nMax 1..4 and explicit local values; N 1..16; 1..4 layers; features 1..16 in the
 * int or the list form; kernel size 2..5; dilation 1..4; machinePow 1, 2 or non-integer; with
 * and without bias; every {@link WeightStyle}. Every component shrinks towards the simplest
 * model (dense, spin 1/2, N = 1, one layer, width 1, ...), so counterexamples stay small.
 */
public final class ArbitraryModels {
    public static final int MAX_SITES = 16;
    public static final int MAX_LAYERS = 4;
    public static final int MAX_WIDTH = 16;

    private ArbitraryModels() {
    }

    /** Any model with N up to {@link #MAX_SITES}. */
    public static Arbitrary<ModelSpec> models() {
        return models(localSpaces().flatMap(local -> sites(MAX_SITES).map(n -> Tuple.of(local, n))),
                Arbitraries.of(WeightStyle.class));
    }

    /** Models with the given weight styles only. */
    public static Arbitrary<ModelSpec> models(WeightStyle... styles) {
        return models(localSpaces().flatMap(local -> sites(MAX_SITES).map(n -> Tuple.of(local, n))),
                Arbitraries.of(styles));
    }

    /** Models whose space has at most {@code maxConfigurations} configurations (localSize^N). */
    public static Arbitrary<ModelSpec> modelsWithAtMost(long maxConfigurations) {
        return models(localSpaces().flatMap(local -> sites(maxSites(local.localSize(), maxConfigurations))
                .map(n -> Tuple.of(local, n))), Arbitraries.of(WeightStyle.class));
    }

    private static int maxSites(int localSize, long maxConfigurations) {
        int n = 0;
        for (long count = localSize; count <= maxConfigurations && n < MAX_SITES; count *= localSize) {
            n++;
        }
        return Math.max(n, 1);
    }

    private static Arbitrary<Integer> sites(int max) {
        return Arbitraries.integers().between(1, max);
    }

    private static Arbitrary<ModelSpec> models(Arbitrary<Tuple2<LocalSpace, Integer>> spaces,
                                               Arbitrary<WeightStyle> styles) {
        Arbitrary<Shape> shapes = Combinators.combine(
                        Arbitraries.of(Kind.DENSE, Kind.CONV1D),
                        spaces,
                        Arbitraries.integers().between(1, MAX_LAYERS),
                        Arbitraries.of(false, true),
                        Arbitraries.integers().between(1, MAX_WIDTH).list().ofSize(MAX_LAYERS - 1),
                        Arbitraries.integers().between(2, 5),
                        Arbitraries.integers().between(1, 4))
                .as((kind, space, layers, perLayer, widths, kernelSize, dilation) -> new Shape(kind, space.get1(),
                        space.get2(), layers, perLayer, widths, kernelSize, dilation));
        return Combinators.combine(shapes, machinePows(), Arbitraries.of(true, false), styles,
                        Arbitraries.longs().between(0, 1_000_000))
                .as((s, pow, bias, style, seed) -> new ModelSpec(s.kind, s.local, s.sites, s.layers, s.perLayer,
                        s.widths, s.kernelSize, s.dilation, pow, bias, style, seed));
    }

    /** The architecture half of a {@link ModelSpec}, combined before the numeric half. */
    private record Shape(Kind kind, LocalSpace local, int sites, int layers, boolean perLayer,
                         List<Integer> widths, int kernelSize, int dilation) {
    }

    /** Spin 1/2, 1, 3/2; Fock nMax 1..4; 2..5 distinct values in [-4, 4]. */
    public static Arbitrary<LocalSpace> localSpaces() {
        Arbitrary<LocalSpace> spins = Arbitraries.of(1, 2, 3).map(LocalSpace::spin);
        Arbitrary<LocalSpace> fock = Arbitraries.integers().between(1, 4).map(LocalSpace::fock);
        // "+ 0f" turns -0.0 into 0.0: they are one local value (0 == -0), not two.
        Arbitrary<LocalSpace> values = Arbitraries.floats().between(-4f, 4f).ofScale(2).map(v -> v + 0f)
                .list().ofMinSize(2).ofMaxSize(5).uniqueElements().map(LocalSpace::values);
        return Arbitraries.oneOf(spins, fock, values);
    }

    /** 1 and 2 (NetKet's default), and non-integer powers on both sides of them. */
    public static Arbitrary<Float> machinePows() {
        return Arbitraries.oneOf(Arbitraries.of(2f, 1f), Arbitraries.floats().between(0.3f, 3.7f).ofScale(2));
    }
}
