package io.jarnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every float32 vector kernel uses, and the double species of the same
 * bit size every float64 one uses: {@code static final} constants so that C2 folds them.
 * {@code -Djarnn.vectorBits=64|128|256|512} overrides the preferred shape so that the narrower
 * code paths (and their tails) are exercised on AVX-512 machines too. An invalid value
 * leaves the preferred shape here rather than failing this class's initialisation;
 * {@link Kernels#active()} reports it (see {@link KernelSelection}).
 */
final class VectorLanes {
    static final String PROPERTY = "jarnn.vectorBits";
    static final VectorSpecies<Float> FLOATS = choose(KernelSelection.vectorBits(System.getProperty(PROPERTY)));
    /**
     * {@link #FLOATS}' shape with double lanes (half as many): both precisions run on vectors
     * of one width, the one {@link KernelSelection} judged.
     */
    static final VectorSpecies<Double> DOUBLES = FLOATS.withLanes(double.class);

    private VectorLanes() {
    }

    private static VectorSpecies<Float> choose(int bits) {
        return bits <= 0 ? FloatVector.SPECIES_PREFERRED : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
