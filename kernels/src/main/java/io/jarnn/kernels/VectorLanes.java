package io.jarnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every vector kernel uses, a {@code static final} constant so that C2
 * folds it. {@code -Djarnn.vectorBits=64|128|256|512} overrides the preferred shape so that the
 * narrower code paths (and their tails) are exercised on AVX-512 machines too. An invalid value
 * leaves the preferred shape here rather than failing this class's initialisation;
 * {@link Kernels#active()} reports it (see {@link KernelSelection}).
 */
final class VectorLanes {
    static final String PROPERTY = "jarnn.vectorBits";
    static final VectorSpecies<Float> FLOATS = choose(KernelSelection.vectorBits(System.getProperty(PROPERTY)));

    private VectorLanes() {
    }

    private static VectorSpecies<Float> choose(int bits) {
        return bits <= 0 ? FloatVector.SPECIES_PREFERRED : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
