package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The autoregressive property: the conditional of site i depends only on sites before i. So
 * changing site j leaves the conditionals of every site {@code <= j} exactly unchanged, while
 * the first site whose {@link ReceptiveField} holds j (j + 1 for dense, j + d for a dilated
 * convolution, whose exclusive first layer reaches t - d; for a 2D convolution the next site in
 * raster order may be in j's blind spot) does change. {@link ReceptiveFieldTest} checks every
 * pair of sites of 2D models both ways.
 */
class AutoregressiveDependenceTest {

    static List<ARNN> models() {
        return ModelCases.enumerable();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void changingSiteJLeavesSitesUpToJUnchanged(ARNN model) {
        HilbertSpace h = model.hilbert();
        int n = h.size();
        int ls = h.localSize();
        int batch = 6;
        Tensor sigma = Build.randomConfigurations(h, batch, 99);
        Tensor before = model.conditionals(sigma);
        BitSet[] field = ReceptiveField.of(model.config().layerSpecs());
        for (int j = 0; j < n; j++) {
            Tensor changed = sigma.copy();
            for (int b = 0; b < batch; b++) {
                int k = Build.localIndex(h, sigma.get(b, j));
                changed.set(h.localValue((k + 1) % ls), b, j); // a different local value at site j
            }
            Tensor after = model.conditionals(changed);
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i <= j; i++) {
                    for (int k = 0; k < ls; k++) {
                        if (Float.floatToIntBits(before.get(b, i, k)) != Float.floatToIntBits(after.get(b, i, k))) {
                            fail(model + ": changing site " + j + " changed conditional[" + b + ", " + i + ", " + k
                                    + "] from " + before.get(b, i, k) + " to " + after.get(b, i, k));
                        }
                    }
                }
            }
            int seer = j + 1;
            while (seer < n && !field[seer].get(j)) {
                seer++;
            }
            if (seer < n) {
                boolean anyChange = false;
                for (int b = 0; b < batch && !anyChange; b++) {
                    for (int k = 0; k < ls; k++) {
                        anyChange |= before.get(b, seer, k) != after.get(b, seer, k);
                    }
                }
                assertTrue(anyChange, model + ": changing site " + j + " must change the conditionals of site " + seer
                        + ", whose receptive field holds it");
            }
        }
    }
}
