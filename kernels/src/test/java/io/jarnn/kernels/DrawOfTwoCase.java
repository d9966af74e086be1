package io.jarnn.kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.jarnn.kernels.KernelEquivalence.assertBitwiseEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One {@link Kernels#drawOfTwo} call over {@code rows} rows, p at {@code pOff} with
 * {@code slack} guard floats after it, the chosen values written at {@code chosenOff}. Both
 * implementations must return the same row and write the same bits, and the scalar one must
 * draw what the definition does: each row's uniform from a {@link SplittableRandom} at the
 * seed's state (so SplitMix64 is held to the JDK's generator too) and
 * {@link TwoStateDraw#choose}. Every fourth row has a first or second probability of exactly
 * zero; {@code badRow} (or -1) has a total of zero, infinity or NaN (by the seed), and no row
 * from it on may be written.
 */
public record DrawOfTwoCase(int rows, int pOff, int chosenOff, int slack, int badRow) implements KernelCase {

    @Override
    public String kernel() {
        return "drawOfTwo";
    }

    @Override
    public void check(Kernels scalar, Kernels vector, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] p = new float[pOff + 2 * rows + slack];
        Arrays.fill(p, Float.NaN); // a kernel reading outside the two rows would see NaNs
        for (int b = 0; b < rows; b++) {
            float first = (float) random.nextDouble();
            float second = (float) random.nextDouble();
            if (b % 4 == 1) {
                first = 0f;
            } else if (b % 4 == 3) {
                second = 0f;
            }
            p[pOff + b] = first;
            p[pOff + rows + b] = second;
        }
        if (badRow >= 0) {
            float[] bad = {0f, Float.POSITIVE_INFINITY, Float.NaN, -0f};
            p[pOff + badRow] = bad[(int) (seed & 3)];
            p[pOff + rows + badRow] = 0f;
        }
        long state = random.nextLong();
        float v0 = -1f;
        float v1 = (float) random.nextDouble() + 1f;
        float[] initial = new float[chosenOff + rows + slack];
        Arrays.fill(initial, 7f);
        float[] pCopy = p.clone();
        float[] byScalar = initial.clone();
        int scalarRow = scalar.drawOfTwo(state, p, pOff, rows, v0, v1, byScalar, chosenOff);
        float[] byVector = initial.clone();
        int vectorRow = vector.drawOfTwo(state, p, pOff, rows, v0, v1, byVector, chosenOff);

        float[] definition = initial.clone();
        int definitionRow = -1;
        SplittableRandom stream = new SplittableRandom(state);
        for (int b = 0; b < rows; b++) {
            int k = TwoStateDraw.choose(p[pOff + b], p[pOff + rows + b], stream.nextDouble());
            if (k < 0) {
                definitionRow = b;
                break;
            }
            definition[chosenOff + b] = k == 0 ? v0 : v1;
        }
        String context = toString() + ", seed=" + seed;
        assertEquals(definitionRow, scalarRow, context + ": the scalar kernel's failing row");
        assertBitwiseEqual(() -> context + ", scalar against SplittableRandom and TwoStateDraw", definition, byScalar);
        assertEquals(scalarRow, vectorRow, context + ": the vector kernel's failing row");
        assertBitwiseEqual(() -> context + ", vector against scalar", byScalar, byVector);
        assertBitwiseEqual(() -> context + ": p must not be modified", pCopy, p);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "drawOfTwo(rows=%d, pOff=%d, chosenOff=%d, slack=%d, badRow=%d)", rows, pOff,
                chosenOff, slack, badRow);
    }
}
