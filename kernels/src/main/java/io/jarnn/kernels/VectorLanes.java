package io.jarnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every vector kernel uses, a {@code static final} constant so that C2
 * folds it. {@code -Djarnn.vectorBits=128|256|512} overrides the preferred shape so that the
 * narrower code paths (and their tails) are exercised on AVX-512 machines too.
 */
final class VectorLanes {
    static final String PROPERTY = "jarnn.vectorBits";
    static final VectorSpecies<Float> FLOATS = choose(Integer.getInteger(PROPERTY, 0));

    private VectorLanes() {
    }

    private static VectorSpecies<Float> choose(int bits) {
        if (bits == 0) {
            return FloatVector.SPECIES_PREFERRED;
        }
        if (bits != 64 && bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("-D" + PROPERTY + ": expected 64, 128, 256 or 512 but got " + bits);
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
