package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Issue 4, properties 2 and 3: conditionals never depend on later sites, and they do depend on
 * the earlier sites their receptive field covers.
 *
 * <p><b>Bitwise, not 1e-6.</b> Every layer computes each output element with one
 * {@code accumulateTaps} reduction whose order is fixed (bias first, then ascending tap and
 * input feature), and the inputs an output cannot see are skipped, never multiplied by zero:
 * the dense layers' panels hold only the rows of visible sites, and the conv layers drop the
 * taps before site 0. selu is elementwise and the normalisation works row by row. So a
 * conditional that cannot see site j is computed by exactly the same float operations on the
 * same operands whatever site j holds, for dense and conv alike; any difference, however small,
 * means information leaked from a site the output must not see. The variants are evaluated in
 * one forward call (one chunk: at most 20 rows), so the comparison does not even rest on the
 * kernels rounding alike before and after JIT compilation (property 8 checks that they do).
 */
class AutoregressiveProperties {

    /**
     * Property 2, and its converse for conv1d: changing site j to any local value leaves every
     * conditional that cannot see j (sites 0..j, and for conv the later sites outside the
     * receptive field of j) bitwise unchanged. Not vacuous: at least half of the cases have a
     * site that cannot see j and a local space of two or more values (so the variants differ).
     */
    @Test
    void changingSiteJLeavesSitesThatCannotSeeItUnchanged() {
        Coverage coverage = new Coverage();
        SuiteRunMode.qt(2000).forAll(ArbitraryModels.models(), integers().between(0, 15), integers().between(1, 4),
                        longs().all())
                .checkAssert((spec, siteChoice, batch, inputSeed) ->
                        changingSiteJLeavesSitesThatCannotSeeItUnchanged(spec, siteChoice, batch, inputSeed, coverage));
        coverage.requireCheckedFraction(0.5);
    }

    private static void changingSiteJLeavesSitesThatCannotSeeItUnchanged(ModelSpec spec, int siteChoice, int batch,
                                                                         long inputSeed, Coverage coverage) {
        ARNN m = Build.model(spec);
        HilbertSpace h = m.hilbert();
        int j = siteChoice % h.size();
        boolean[] seeing = ReceptiveField.outputsSeeing(spec, j);
        Tensor variants = SiteVariants.atSite(Build.randomConfigurations(h, batch, inputSeed), j, h);
        Tensor logPsi = m.conditionalsLogPsi(variants);
        Tensor probabilities = m.conditionals(variants);
        int ls = h.localSize();
        boolean anyBlind = false;
        for (boolean s : seeing) {
            anyBlind |= !s;
        }
        if (anyBlind && ls > 1) {
            coverage.checked();
        } else {
            coverage.skip("no site is blind to j, or one local value");
        }
        for (int b = 0; b < batch; b++) {
            int reference = b * ls;
            for (int k = 1; k < ls; k++) {
                int row = reference + k;
                for (int i = 0; i < h.size(); i++) {
                    if (seeing[i]) {
                        continue;
                    }
                    requireBitwiseEqual("logPsi conditionals", logPsi, variants, reference, row, i, j);
                    requireBitwiseEqual("conditionals", probabilities, variants, reference, row, i, j);
                }
            }
        }
    }

    private static void requireBitwiseEqual(String what, Tensor c, Tensor inputs, int reference, int row, int i, int j) {
        float[] expected = ConditionalRows.conditional(c, reference, i);
        float[] actual = ConditionalRows.conditional(c, row, i);
        if (!ConditionalRows.bitwiseEqual(expected, actual)) {
            fail(what + " of site " + i + " changed when site " + j + " changed, but site " + i + " cannot see site "
                    + j + ": " + ConditionalRows.text(expected) + " for " + ConditionalRows.input(inputs, reference) + " but "
                    + ConditionalRows.text(actual) + " for " + ConditionalRows.input(inputs, row));
        }
    }

    /**
     * Property 3: with generic weights, changing site j to another local value changes the
     * conditional of some later site that can see j (guards against a model that ignores its
     * inputs and passes property 2 vacuously). logPsi is compared rather than probabilities,
     * which can saturate at 0 and 1. Models with weights that are generically non-zero, so a
     * structural dependence is a real one. Cases where no site can see j (N = 1) are skipped;
     * at least half must be checked, dense and conv1d each in at least a quarter of them, conv2d (whose N is
     * rounded down to a square) in at least a tenth.
     */
    @Test
    void changingSiteJChangesALaterSiteThatCanSeeIt() {
        Coverage coverage = new Coverage();
        SuiteRunMode.qt(1000).forAll(ArbitraryModels.models(WeightStyle.INIT, WeightStyle.MASKED_NAN,
                        WeightStyle.MASKED_GARBAGE), integers().between(0, 15), integers().between(1, 3), longs().all())
                .checkAssert((spec, siteChoice, batch, inputSeed) ->
                        changingSiteJChangesALaterSiteThatCanSeeIt(spec, siteChoice, batch, inputSeed, coverage));
        coverage.requireCheckedFraction(0.5);
        coverage.requireEach("kind", List.of(ModelSpec.Kind.DENSE, ModelSpec.Kind.CONV1D), 0.25);
        // Fewer conv2d cases are checkable: N is rounded down to a square (N = 1 below 4 sites).
        coverage.requireEach("kind", List.of(ModelSpec.Kind.CONV2D), 0.1);
    }

    private static void changingSiteJChangesALaterSiteThatCanSeeIt(ModelSpec spec, int siteChoice, int batch,
                                                                   long inputSeed, Coverage coverage) {
        if (spec.sites() == 1) {
            coverage.skip("N = 1");
            return;
        }
        int j = siteChoice % (spec.sites() - 1);
        boolean[] seeing = ReceptiveField.outputsSeeing(spec, j);
        int firstSeeing = firstTrue(seeing);
        if (firstSeeing < 0) {
            coverage.skip("no site sees j");
            return;
        }
        coverage.checked();
        coverage.collect("kind", spec.kind());
        ARNN m = Build.model(spec);
        HilbertSpace h = m.hilbert();
        Tensor variants = SiteVariants.atSite(Build.randomConfigurations(h, batch, inputSeed), j, h);
        Tensor logPsi = m.conditionalsLogPsi(variants);
        int ls = h.localSize();
        for (int b = 0; b < batch; b++) {
            int reference = b * ls;
            for (int k = 1; k < ls; k++) {
                boolean changed = false;
                for (int i = 0; i < h.size() && !changed; i++) {
                    changed = seeing[i] && !ConditionalRows.bitwiseEqual(ConditionalRows.conditional(logPsi, reference, i),
                            ConditionalRows.conditional(logPsi, reference + k, i));
                }
                if (!changed) {
                    fail("no conditional changed when site " + j + " changed, although sites " + listTrue(seeing)
                            + " can see it: " + ConditionalRows.input(variants, reference) + " and "
                            + ConditionalRows.input(variants, reference + k) + " give site " + firstSeeing + " logPsi "
                            + ConditionalRows.text(ConditionalRows.conditional(logPsi, reference, firstSeeing)));
                }
            }
        }
    }

    private static int firstTrue(boolean[] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i]) {
                return i;
            }
        }
        return -1;
    }

    private static String listTrue(boolean[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            if (a[i]) {
                sb.append(sb.length() > 1 ? ", " : "").append(i);
            }
        }
        return sb.append(']').toString();
    }
}
