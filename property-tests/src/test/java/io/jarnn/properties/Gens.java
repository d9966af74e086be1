package io.jarnn.properties;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.List;

/** Small combinators QuickTheories spells with generic varargs (unchecked warnings); typed lists here. */
final class Gens {
    private Gens() {
    }

    /** One of {@code gens}, equally likely; shrinks towards the first. */
    static <T> Gen<T> oneOf(List<Gen<T>> gens) {
        return Generate.pick(gens).flatMap(g -> g);
    }

    /** {@code gens.get(i)} with weight {@code weights[i]}; shrinks towards the first. */
    static <T> Gen<T> frequency(int[] weights, List<Gen<T>> gens) {
        List<Gen<T>> weighted = new ArrayList<>();
        for (int i = 0; i < gens.size(); i++) {
            for (int w = 0; w < weights[i]; w++) {
                weighted.add(gens.get(i));
            }
        }
        return oneOf(weighted);
    }
}
