package io.jarnn.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's measured float32 FMA peak, the yardstick of every float32 figure (PeakFlops64,
 * generated from this file, is the float64 one): twelve independent
 * fma chains {@code acc = acc * m + a} on {@link FloatVector#SPECIES_PREFERRED}, all in
 * registers. Twelve because two FMA pipes of 4-cycle latency need at least eight chains in
 * flight; the spare ones absorb scheduling slack, and 12 accumulators plus 2 constants still
 * fit in 16 registers, so nothing spills even on AVX2. With m = 0.999, a = 0.001 every chain
 * converges to 1: no overflow, no denormals, and nothing C2 can fold.
 *
 * <p>One op is {@value #STEPS} steps of the twelve chains: {@code 2 * lanes * 12 * STEPS}
 * flops per thread, about 25k cycles, so the final reduction is under 0.2% of it.
 * {@code allCores} runs the same on {@code @Threads(MAX)} threads (one per available
 * processor); its total rate is threads x flops / time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Thread)
public class PeakFlops {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    public static final int CHAINS = 12;
    public static final int STEPS = 2048;

    private final float[] start = new float[CHAINS * LANES];
    private float multiplier;
    private float addend;

    /** Flops per op and thread; {@code lanes} is the preferred species of the JVM asking. */
    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * LANES * CHAINS * STEPS;
    }

    @Setup(Level.Trial)
    public void setUp() {
        SelfChecks.printKernels();
        System.out.println("# peak probe: " + SPECIES + ", " + CHAINS + " chains x " + STEPS + " steps");
        for (int i = 0; i < start.length; i++) {
            start[i] = i / (float) start.length;
        }
        multiplier = 0.999f;
        addend = 0.001f;
        requireMatchesScalarChains();
    }

    /** Each lane is Math.fma applied STEPS times; the lanes are then summed (in any order, hence the tolerance). */
    private void requireMatchesScalarChains() {
        double expected = 0;
        double magnitude = 0;
        for (float s : start) {
            float v = s;
            for (int i = 0; i < STEPS; i++) {
                v = Math.fma(v, multiplier, addend);
            }
            expected += v;
            magnitude += Math.abs(v);
        }
        float actual = chains(start, multiplier, addend);
        SelfChecks.requireWithin("fma chains", "sum of " + start.length + " lanes", expected, actual,
                start.length * Math.ulp(1f) * magnitude);
    }

    @Benchmark
    public float singleThread() {
        return chains(start, multiplier, addend);
    }

    @Benchmark
    @Threads(Threads.MAX)
    public float allCores() {
        return chains(start, multiplier, addend);
    }

    /** One op: STEPS steps of the CHAINS chains from {@code start} (CHAINS x LANES floats), lanes summed. */
    static float chains(float[] start, float m, float a) {
        FloatVector mv = FloatVector.broadcast(SPECIES, m);
        FloatVector av = FloatVector.broadcast(SPECIES, a);
        FloatVector c0 = FloatVector.fromArray(SPECIES, start, 0);
        FloatVector c1 = FloatVector.fromArray(SPECIES, start, LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, start, 2 * LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, start, 3 * LANES);
        FloatVector c4 = FloatVector.fromArray(SPECIES, start, 4 * LANES);
        FloatVector c5 = FloatVector.fromArray(SPECIES, start, 5 * LANES);
        FloatVector c6 = FloatVector.fromArray(SPECIES, start, 6 * LANES);
        FloatVector c7 = FloatVector.fromArray(SPECIES, start, 7 * LANES);
        FloatVector c8 = FloatVector.fromArray(SPECIES, start, 8 * LANES);
        FloatVector c9 = FloatVector.fromArray(SPECIES, start, 9 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, start, 10 * LANES);
        FloatVector c11 = FloatVector.fromArray(SPECIES, start, 11 * LANES);
        for (int i = 0; i < STEPS; i++) {
            c0 = c0.fma(mv, av);
            c1 = c1.fma(mv, av);
            c2 = c2.fma(mv, av);
            c3 = c3.fma(mv, av);
            c4 = c4.fma(mv, av);
            c5 = c5.fma(mv, av);
            c6 = c6.fma(mv, av);
            c7 = c7.fma(mv, av);
            c8 = c8.fma(mv, av);
            c9 = c9.fma(mv, av);
            c10 = c10.fma(mv, av);
            c11 = c11.fma(mv, av);
        }
        FloatVector sum = c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7)))
                .add(c8.add(c9).add(c10.add(c11)));
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
