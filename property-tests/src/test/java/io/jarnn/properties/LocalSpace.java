package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;

import java.util.List;

/**
 * The per-site part of a Hilbert space, without the number of sites: spin s, Fock nMax or an
 * explicit list of local values. Kept apart from N so that a generator can choose N from the
 * local size (small spaces for exhaustive sums) and so that shrinking reads well.
 *
 * @param family     which constructor of {@link HilbertSpace} builds it
 * @param parameter  2s for spins, nMax for Fock, unused (0) for explicit values
 * @param values     the explicit local values (empty unless {@code family == VALUES})
 */
public record LocalSpace(Family family, int parameter, List<Float> values) {

    /** The three ways a user can make a homogeneous space. */
    public enum Family { SPIN, FOCK, VALUES }

    public LocalSpace {
        values = List.copyOf(values);
    }

    /** Spin s = twoS / 2. */
    public static LocalSpace spin(int twoS) {
        return new LocalSpace(Family.SPIN, twoS, List.of());
    }

    public static LocalSpace fock(int nMax) {
        return new LocalSpace(Family.FOCK, nMax, List.of());
    }

    public static LocalSpace values(List<Float> values) {
        return new LocalSpace(Family.VALUES, 0, values);
    }

    /** Number of local states. */
    public int localSize() {
        return switch (family) {
            case SPIN, FOCK -> parameter + 1;
            case VALUES -> values.size();
        };
    }

    /** The space with {@code sites} sites. */
    public HilbertSpace on(int sites) {
        return switch (family) {
            case SPIN -> HilbertSpace.spin(parameter / 2.0, sites);
            case FOCK -> HilbertSpace.fock(parameter, sites);
            case VALUES -> {
                float[] v = new float[values.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values.get(i);
                }
                yield HilbertSpace.ofLocalValues(sites, v);
            }
        };
    }

    @Override
    public String toString() {
        return switch (family) {
            case SPIN -> "Spin(s=" + (parameter % 2 == 0 ? Integer.toString(parameter / 2) : parameter + "/2") + ")";
            case FOCK -> "Fock(nMax=" + parameter + ")";
            case VALUES -> "Values" + values;
        };
    }
}
