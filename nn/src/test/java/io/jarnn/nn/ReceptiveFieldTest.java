package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * ARNNConv2D's receptive field, both ways (docs/semantics.md, "ARNNConv2D's receptive field"):
 * from the configuration alone ({@link ReceptiveField}: NetKet's masks and padding composed
 * through the stack) every output site i gets the set of sites it can see. Then, changing site
 * j of every sample, the conditionals of i
 * <ul>
 *   <li>stay bitwise the same when j is not in i's field: never a later site, never an unseen
 *   earlier one (the blind spot above and to the right);</li>
 *   <li>change when j is in it: for generic weights every reachable earlier site matters.</li>
 * </ul>
 * and every field lies before its site (the autoregressive property).
 */
class ReceptiveFieldTest {

    static List<ARNN> models() {
        HilbertSpace six = HilbertSpace.spin(0.5, 36);
        HilbertSpace five = HilbertSpace.spin(0.5, 25);
        return List.of(
                Build.model(ARNNConv2D.builder(six).layers(3).features(6).kernelSize(3, 2), 1),
                Build.model(ARNNConv2D.builder(six).layers(2).features(5).kernelSize(2, 3), 2),
                Build.model(ARNNConv2D.builder(five).layers(2).features(5).kernelSize(2, 3).dilation(1, 2), 3),
                Build.model(ARNNConv2D.builder(five).layers(3).features(4).kernelSize(3, 3).dilation(2, 1), 4),
                Build.model(ARNNConv2D.builder(HilbertSpace.spin(1, 16)).layers(2).features(7).kernelSize(2, 4)
                        .machinePow(1f), 5),
                Build.model(ARNNConv2D.builder(five).layers(4).features(3).kernelSize(1, 3), 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void conditionalsDependOnExactlyTheReceptiveField(ARNN model) {
        HilbertSpace h = model.hilbert();
        int n = h.size();
        int ls = h.localSize();
        int batch = 4;
        BitSet[] field = ReceptiveField.of(model.config().layerSpecs());
        for (int i = 0; i < n; i++) {
            assertTrue(field[i].isEmpty() || field[i].length() <= i, model + ": site " + i + " sees " + field[i]);
        }
        Tensor sigma = Build.randomConfigurations(h, batch, 17);
        Tensor before = model.conditionals(sigma);
        for (int j = 0; j < n; j++) {
            Tensor changed = sigma.copy();
            for (int b = 0; b < batch; b++) {
                int k = Build.localIndex(h, sigma.get(b, j));
                changed.set(h.localValue((k + 1 + b % (ls - 1)) % ls), b, j);
            }
            Tensor after = model.conditionals(changed);
            for (int i = 0; i < n; i++) {
                boolean anyChange = false;
                for (int b = 0; b < batch; b++) {
                    for (int k = 0; k < ls; k++) {
                        anyChange |= Float.floatToIntBits(before.get(b, i, k)) != Float.floatToIntBits(after.get(b, i, k));
                    }
                }
                if (anyChange != field[i].get(j)) {
                    fail(model + ": site " + j + " is " + (field[i].get(j) ? "" : "not ") + "in the receptive field of site "
                            + i + " " + field[i] + ", but changing it " + (anyChange ? "changed" : "left unchanged")
                            + " site " + i + "'s conditionals");
                }
            }
        }
    }

    /**
     * The blind spot written out for kernel (3, 2) on 6 x 6, three layers: every tap reads the
     * same column or the one to its left, two rows up at most, so site (3, 2) sees rows 0..2 at
     * columns 0..2 and (3, 0), (3, 1), and nothing to its upper right, (2, 3) included, although
     * that site comes 7 sites earlier in raster order.
     */
    @Test
    void kernelThreeByTwoSeesNothingToTheRight() {
        ARNNConfig config = ARNNConv2D.builder(HilbertSpace.spin(0.5, 36)).layers(3).features(6).kernelSize(3, 2).config();
        BitSet want = new BitSet();
        for (int r = 0; r <= 2; r++) {
            for (int c = 0; c <= 2; c++) {
                want.set(r * 6 + c);
            }
        }
        want.set(3 * 6);
        want.set(3 * 6 + 1);
        BitSet field = ReceptiveField.of(config.layerSpecs())[3 * 6 + 2];
        assertEquals(want, field);
    }
}
