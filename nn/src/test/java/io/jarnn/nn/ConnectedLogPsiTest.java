package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConnectedLogPsi} against the full forward: log(psi(sigma') / psi(sigma)) of
 * configurations that differ from their base in one site, two sites (neighbours or far apart),
 * several sites, at the first and at the last site, several with the same first changed site,
 * and the base itself, on dense, conv1d (windows shorter than the chain) and conv2d models, on
 * spin-1/2, spin-1, Fock and arbitrary values, unconstrained and in sectors (exchanges that keep
 * the sector, changes that leave it).
 */
class ConnectedLogPsiTest {
    private static final double TOLERANCE = 1e-4; //f64: private static final double TOLERANCE = 1e-10;
    private static final int SLOTS = 9;

    @Test
    void ratiosEqualTheFullForwardOnEveryModelKind() {
        List<ARNN> models = new ArrayList<>(ModelCases.enumerable());
        // Chains longer than the receptive field, so that windows end before the last site.
        HilbertSpace chain = HilbertSpace.spin(0.5, 24);
        models.add(Build.model(ARNNConv1D.builder(chain).layers(3).features(5).kernelSize(3).machinePow(2f), 71));
        models.add(Build.model(ARNNConv1D.builder(HilbertSpace.fock(2, 17)).layers(2).features(4).kernelSize(2)
                .dilation(3).machinePow(2f), 72));
        models.add(Build.model(ARNNConv1D.builder(HilbertSpace.spin(1, 15)).layers(1).kernelSize(4).machinePow(2f), 73));
        // Lattices larger than a conv2d's reach (8 x 8: 2 x (8 + 1) = 18 sites; 6 x 6 dilated: 2 x (12 + 2) = 28).
        models.add(Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 64)).layers(2).features(3).kernelSize(2, 3)
                .machinePow(2f), 74));
        models.add(Build.model(ARNNConv2D.builder(HilbertSpace.fock(2, 36)).layers(2).features(3).kernelSize(2, 2)
                .dilation(2, 2).machinePow(2f), 75));
        for (ARNN model : models) {
            checkAgainstFullForward(model, 7, 5, 1);
            checkAgainstFullForward(model, 3, 3, 2);
        }
    }

    @Test
    void ratiosEqualTheFullForwardInSectors() {
        List<ARNN> models = new ArrayList<>();
        HilbertSpace sz = HilbertSpace.spin(0.5, 12, 0);
        HilbertSpace spinOne = HilbertSpace.spin(1, 7, 1);
        HilbertSpace fock = HilbertSpace.fock(3, 8, 8);
        HilbertSpace square = HilbertSpace.spin(0.5, 16, 0);
        for (HilbertSpace h : List.of(sz, spinOne, fock)) {
            models.add(Build.model(ARNNDense.builder(h).layers(2).features(5).machinePow(2f), 81));
            models.add(Build.model(ARNNConv1D.builder(h).layers(2).features(4).kernelSize(2).machinePow(2f), 82));
        }
        models.add(Build.model(ARNNConv2D.builder(square).layers(2).features(4).kernelSize(2, 3).machinePow(2f), 83));
        for (ARNN model : models) {
            checkAgainstFullForward(model, 6, 6, 3);
        }
    }

    /**
     * Base configurations and, per row, up to {@link #SLOTS} connected ones; the ratios from
     * {@link ConnectedLogPsi} (with and without a {@link ContextTable}) against the differences
     * of the full forward's logPsi (summed in double), and the base logPsi against the full
     * forward's.
     */
    private static void checkAgainstFullForward(ARNN model, int batch, int rows, long seed) {
        checkAgainstFullForward(model, ConnectedLogPsi.of(model, batch), rows, seed);
        checkAgainstFullForward(model, ConnectedLogPsi.withoutContextTable(model, batch), rows, seed);
    }

    private static void checkAgainstFullForward(ARNN model, ConnectedLogPsi evaluator, int rows, long seed) {
        Connected c = Connected.of(model.hilbert(), rows, seed);
        double[] base = c.base();
        double[] connected = c.connected();
        int[] counts = c.counts();
        double[] logPsi = new double[rows];
        double[] ratios = new double[rows * SLOTS];
        evaluator.setBase(base, 0, rows, logPsi, 0);
        evaluator.logRatios(connected, 0, SLOTS, counts, ratios, 0);

        double[] full = fullLogPsi(model, base, rows);
        double[] fullConnected = fullLogPsi(model, connected, rows * SLOTS);
        for (int b = 0; b < rows; b++) {
            assertEquals(full[b], logPsi[b], TOLERANCE * (1 + Math.abs(full[b])), model + ": logPsi of base row " + b);
            for (int k = 0; k < counts[b]; k++) {
                int q = b * SLOTS + k;
                double expected = fullConnected[q] - full[b];
                String what = model + ": row " + b + ", connected " + k;
                if (expected == Double.NEGATIVE_INFINITY) {
                    assertEquals(Double.NEGATIVE_INFINITY, ratios[q], what + " (outside the sector)");
                } else {
                    assertEquals(expected, ratios[q], TOLERANCE * (1 + Math.abs(full[b])), what);
                }
            }
        }
    }

    /**
     * Base configurations ({@code rows} x N) and, per row, {@code counts[b]} connected ones in
     * {@link #SLOTS} slots (unused slots hold the base, for the full forward), made by
     * {@link #modify}.
     */
    private record Connected(double[] base, double[] connected, int[] counts) {
        static Connected of(HilbertSpace h, int rows, long seed) {
            int n = h.size();
            Tensor sigma = Build.randomConfigurations(h, rows, seed);
            double[] base = new double[rows * n];
            for (int e = 0; e < base.length; e++) {
                base[e] = sigma.getDouble(e);
            }
            double[] connected = new double[rows * SLOTS * n];
            int[] counts = new int[rows];
            SplittableRandom random = new SplittableRandom(seed * 31 + n);
            for (int b = 0; b < rows; b++) {
                counts[b] = b == 1 ? 0 : SLOTS - b % 3;
                for (int k = 0; k < SLOTS; k++) {
                    int at = (b * SLOTS + k) * n;
                    System.arraycopy(base, b * n, connected, at, n);
                    if (k < counts[b]) {
                        modify(h, connected, at, k, random);
                    }
                }
            }
            return new Connected(base, connected, counts);
        }

        /** The ratios of every connected configuration, all evaluated in one call. */
        double[] ratios(ConnectedLogPsi evaluator) {
            int rows = counts.length;
            double[] ratios = new double[rows * SLOTS];
            evaluator.setBase(base, 0, rows, new double[rows], 0);
            evaluator.logRatios(connected, 0, SLOTS, counts, ratios, 0);
            return ratios;
        }
    }

    /**
     * A pass evaluates each layer only where its outputs can differ from the base's and takes
     * the rest from the base, after other passes have rewritten the cache: each ratio must be,
     * bit for bit, what the configuration gives evaluated alone (its row's only connection, on a
     * freshly set base), whatever was evaluated before it.
     */
    @Test
    void eachRatioIsBitwiseTheRatioOfTheConfigurationAlone() {
        List<ARNN> models = new ArrayList<>();
        HilbertSpace chain = HilbertSpace.spin(0.5, 24);
        models.add(Build.model(ARNNConv1D.builder(chain).layers(3).features(5).kernelSize(3).machinePow(2f), 71));
        models.add(Build.model(ARNNConv1D.builder(HilbertSpace.fock(2, 17)).layers(2).features(4).kernelSize(2)
                .dilation(3).machinePow(2f), 72));
        models.add(Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 64)).layers(2).features(3).kernelSize(2, 3)
                .machinePow(2f), 74));
        models.add(Build.model(ARNNDense.builder(HilbertSpace.spin(1, 9)).layers(2).features(4).machinePow(2f), 76));
        models.add(Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 12, 0)).layers(2).features(4).kernelSize(2)
                .machinePow(2f), 82));
        for (ARNN model : models) {
            eachRatioAlone(model, ConnectedLogPsi.of(model, 4));
            eachRatioAlone(model, ConnectedLogPsi.withoutContextTable(model, 4));
        }
    }

    private static void eachRatioAlone(ARNN model, ConnectedLogPsi evaluator) {
        {
            int n = model.hilbert().size();
            int rows = 4;
            Connected c = Connected.of(model.hilbert(), rows, 5);
            double[] together = c.ratios(evaluator);
            double[] alone = new double[1];
            for (int b = 0; b < rows; b++) {
                for (int k = 0; k < c.counts()[b]; k++) {
                    evaluator.setBase(c.base(), b * n, 1, new double[1], 0);
                    evaluator.logRatios(c.connected(), (b * SLOTS + k) * n, 1, new int[]{1}, alone, 0);
                    assertEquals(alone[0], together[b * SLOTS + k], 0, model + ": row " + b + ", connected " + k);
                }
            }
        }
    }

    /**
     * A conv1d model of short reach on an unconstrained space looks its conditionals up by
     * context ({@link ContextTable}): the base logPsi and every ratio are bit for bit the cache
     * path's, on spin-1/2, Fock and spin-1 chains, dilated or not, with the exclusive first
     * layer's edge, a reach just short of the chain and one at the table's limit (4096
     * contexts), in batches that split the contexts unevenly, and again after {@code setModel}
     * (the table refilled for the new parameters).
     */
    @Test
    void theContextTableGivesTheCachePathsBits() {
        List<ARNNConv1D.Builder> builders = List.of(
                ARNNConv1D.builder(HilbertSpace.spin(0.5, 24)).layers(3).features(5).kernelSize(3),
                ARNNConv1D.builder(HilbertSpace.fock(2, 17)).layers(2).features(4).kernelSize(2).dilation(3),
                ARNNConv1D.builder(HilbertSpace.spin(1, 15)).layers(1).kernelSize(4),
                ARNNConv1D.builder(HilbertSpace.spin(0.5, 7)).layers(2).features(3).kernelSize(4),
                ARNNConv1D.builder(HilbertSpace.spin(0.5, 16)).layers(3).features(3).kernelSize(5));
        for (ARNNConv1D.Builder builder : builders) {
            ARNN first = Build.model(builder.machinePow(2f), 61);
            ARNN second = Build.model(builder.machinePow(2f), 62);
            for (int[] shape : new int[][]{{7, 5, 1}, {3, 3, 2}}) {
                ConnectedLogPsi tabulated = ConnectedLogPsi.of(first, shape[0]);
                ConnectedLogPsi cached = ConnectedLogPsi.withoutContextTable(first, shape[0]);
                assertTrue(tabulated.tabulated(), first + ": reach " + tabulated.reach() + " is tabulated");
                Connected c = Connected.of(first.hilbert(), shape[1], shape[2]);
                assertSameBits(c, cached, tabulated, first.toString());
                tabulated.setModel(second);
                cached.setModel(second);
                assertSameBits(c, cached, tabulated, second + " after setModel");
            }
        }
    }

    private static void assertSameBits(Connected c, ConnectedLogPsi expected, ConnectedLogPsi actual, String what) {
        int rows = c.counts().length;
        double[] logPsiExpected = new double[rows];
        double[] logPsiActual = new double[rows];
        double[] ratiosExpected = new double[rows * SLOTS];
        double[] ratiosActual = new double[rows * SLOTS];
        expected.setBase(c.base(), 0, rows, logPsiExpected, 0);
        expected.logRatios(c.connected(), 0, SLOTS, c.counts(), ratiosExpected, 0);
        actual.setBase(c.base(), 0, rows, logPsiActual, 0);
        actual.logRatios(c.connected(), 0, SLOTS, c.counts(), ratiosActual, 0);
        for (int b = 0; b < rows; b++) {
            assertEquals(Double.doubleToRawLongBits(logPsiExpected[b]), Double.doubleToRawLongBits(logPsiActual[b]),
                    what + ": logPsi of row " + b + " " + logPsiExpected[b] + " vs " + logPsiActual[b]);
            for (int k = 0; k < c.counts()[b]; k++) {
                int q = b * SLOTS + k;
                assertEquals(Double.doubleToRawLongBits(ratiosExpected[q]), Double.doubleToRawLongBits(ratiosActual[q]),
                        what + ": row " + b + ", connected " + k + " " + ratiosExpected[q] + " vs " + ratiosActual[q]);
            }
        }
    }

    /** The table needs a translation-invariant reach shorter than the chain, few contexts and no sector rule. */
    @Test
    void onlyShortReachConvolutionsOnUnconstrainedSpacesAreTabulated() {
        HilbertSpace h = HilbertSpace.spin(0.5, 20);
        assertTrue(ConnectedLogPsi.of(Build.model(ARNNConv1D.builder(h).layers(3).features(3).kernelSize(5), 1), 4)
                .tabulated(), "reach 12: 4096 contexts");
        assertTrue(!ConnectedLogPsi.of(Build.model(ARNNConv1D.builder(h).layers(3).features(3).kernelSize(7), 1), 4)
                .tabulated(), "reach 18: 2^18 contexts");
        assertTrue(!ConnectedLogPsi.of(Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 6)).layers(3).features(3)
                .kernelSize(3), 1), 4).tabulated(), "reach 6 on 6 sites");
        assertTrue(!ConnectedLogPsi.of(Build.model(ARNNConv1D.builder(HilbertSpace.spin(0.5, 12, 0)).layers(2)
                .features(3).kernelSize(2), 1), 4).tabulated(), "a sector");
        assertTrue(!ConnectedLogPsi.of(Build.model(ARNNDense.builder(h).layers(2).features(3), 1), 4).tabulated(),
                "dense");
        assertTrue(!ConnectedLogPsi.of(Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 64)).layers(2).features(3)
                .kernelSize(2, 3), 1), 4).tabulated(), "conv2d");
        assertTrue(!ConnectedLogPsi.withoutContextTable(Build.model(ARNNConv1D.builder(h).layers(1).kernelSize(3), 1), 4)
                .tabulated(), "withoutContextTable");
    }

    @Test
    void anotherModelOfTheSameConfigurationReusesTheEvaluator() {
        HilbertSpace h = HilbertSpace.spin(0.5, 16);
        ARNNConv1D.Builder builder = ARNNConv1D.builder(h).layers(3).features(4).kernelSize(3).machinePow(2f);
        ARNN first = Build.model(builder, 1);
        ARNN second = Build.model(builder, 2);
        Connected c = Connected.of(h, 5, 3);
        ConnectedLogPsi evaluator = ConnectedLogPsi.of(first, 5);
        c.ratios(evaluator);
        evaluator.setModel(second);
        assertEquals(second, evaluator.model());
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> evaluator.logRatios(c.connected(), 0, SLOTS, c.counts(), new double[5 * SLOTS], 0));
        assertTrue(early.getMessage().startsWith("no base configurations"), early.getMessage());
        double[] rebound = c.ratios(evaluator);
        double[] fresh = c.ratios(ConnectedLogPsi.of(second, 5));
        for (int q = 0; q < fresh.length; q++) {
            assertEquals(fresh[q], rebound[q], 0, "connection " + q);
        }
        ARNN wider = Build.model(ARNNConv1D.builder(h).layers(3).features(5).kernelSize(3).machinePow(2f), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluator.setModel(wider));
        assertTrue(e.getMessage().startsWith("model: expected a model of configuration"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> evaluator.setModel(null));
        assertTrue(e.getMessage().startsWith("model: expected a model of configuration"), e.getMessage());
    }

    /**
     * Change k of a row: k = 0 none (the base itself), 1 the first site, 2 the last site, 3 one
     * random site, 4 two neighbours exchanged or changed, 5 two far sites, 6 and 7 random sites
     * with the same first site as 3's (several passes at one site), 8 a random run of sites.
     * On a constrained space 4 and 5 exchange two sites (the sector is kept); the others change
     * the index sum and so leave the sector, unless they happen to change nothing.
     */
    private static void modify(HilbertSpace h, double[] c, int at, int k, SplittableRandom random) {
        int n = h.size();
        switch (k) {
            case 0 -> {
            }
            case 1 -> change(h, c, at, 0, random);
            case 2 -> change(h, c, at, n - 1, random);
            case 3, 6, 7 -> {
                int site = (int) (new SplittableRandom(at / (n * SLOTS)).nextInt(n));
                change(h, c, at, site, random);
                if (k > 3 && site + 1 < n) {
                    change(h, c, at, site + 1 + random.nextInt(n - site - 1), random);
                }
            }
            case 4 -> twoSites(h, c, at, random.nextInt(n - 1), 1, random);
            case 5 -> twoSites(h, c, at, random.nextInt(n / 2), n / 2, random);
            default -> {
                int first = random.nextInt(n);
                int last = first + random.nextInt(n - first);
                for (int j = first; j <= last; j++) {
                    change(h, c, at, j, random);
                }
            }
        }
    }

    private static void twoSites(HilbertSpace h, double[] c, int at, int i, int gap, SplittableRandom random) {
        int j = i + gap;
        if (h.isConstrained()) {
            double t = c[at + i];
            c[at + i] = c[at + j];
            c[at + j] = t;
        } else {
            change(h, c, at, i, random);
            change(h, c, at, j, random);
        }
    }

    /** Site j to another local value. */
    private static void change(HilbertSpace h, double[] c, int at, int j, SplittableRandom random) {
        int ls = h.localSize();
        int current = Build.localIndex(h, (float) c[at + j]);
        c[at + j] = h.localValues()[(current + 1 + random.nextInt(ls - 1)) % ls];
    }

    /** logPsi of each row by the full forward, its chosen log-conditionals summed in double. */
    private static double[] fullLogPsi(ARNN model, double[] configurations, int rows) {
        HilbertSpace h = model.hilbert();
        int n = h.size();
        int ls = h.localSize();
        Tensor x = Tensor.zeros(rows, n);
        for (int e = 0; e < rows * n; e++) {
            x.array()[e] = (float) configurations[e]; //f64: x.array()[e] = configurations[e];
        }
        Tensor c = model.conditionalsLogPsi(x);
        double[] out = new double[rows];
        for (int b = 0; b < rows; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += c.get(b, i, Build.localIndex(h, (float) configurations[b * n + i]));
            }
            out[b] = sum;
        }
        return out;
    }

    @Test
    void theWindowOfAConvolutionStopsAtItsReceptiveField() {
        HilbertSpace h = HilbertSpace.spin(0.5, 30);
        ARNN model = Build.model(ARNNConv1D.builder(h).layers(3).features(4).kernelSize(3).dilation(2), 5);
        assertEquals(12, ConnectedLogPsi.of(model, 4).reach(), "3 layers of (3 - 1) * 2");
        ARNN square = Build.model(ARNNConv2D.builder(HilbertSpace.spin(0.5, 64)).layers(2).features(3).kernelSize(2, 3), 5);
        assertEquals(18, ConnectedLogPsi.of(square, 4).reach(), "2 layers of 1 row of 8 sites and 1 column");
        ARNN dense = Build.model(ARNNDense.builder(h).layers(2).features(3), 5);
        assertEquals(30, ConnectedLogPsi.of(dense, 4).reach(), "a dense layer sees every earlier site");
    }

    @Test
    void badInputIsRefusedNamingTheArgument() {
        HilbertSpace h = HilbertSpace.spin(0.5, 6);
        ConnectedLogPsi evaluator = ConnectedLogPsi.of(
                Build.model(ARNNConv1D.builder(h).layers(2).features(3).kernelSize(2), 3), 2);
        double[] sigma = {1, -1, 1, -1, 1, -1, 1, 1, 1, 1, 1, 1};
        double[] logPsi = new double[2];
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> evaluator.logRatios(sigma, 0, 1, new int[]{1, 1}, new double[2], 0));
        assertTrue(early.getMessage().startsWith("no base configurations"), early.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.setBase(sigma, 0, 3, new double[3], 0));
        assertTrue(e.getMessage().startsWith("count: expected 0..2"), e.getMessage());
        double[] bad = sigma.clone();
        bad[4] = 0.5;
        e = assertThrows(IllegalArgumentException.class, () -> evaluator.setBase(bad, 0, 2, logPsi, 0));
        assertTrue(e.getMessage().startsWith("sigma: element [0, 4] is 0.5"), e.getMessage());
        evaluator.setBase(sigma, 0, 2, logPsi, 0);
        e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.logRatios(new double[12], 0, 1, new int[]{1, 2}, new double[2], 0));
        assertTrue(e.getMessage().startsWith("counts: expected 0..1 (slots) at row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.logRatios(new double[12], 0, 1, new int[]{1, 1}, new double[2], 0));
        assertTrue(e.getMessage().startsWith("configurations: element 0 is 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.logRatios(sigma, 0, 1, new int[]{1, 1}, new double[1], 0));
        assertTrue(e.getMessage().startsWith("out: expected 2 values"), e.getMessage());
        // a base outside the sector has psi = 0: no ratio to it
        HilbertSpace sector = HilbertSpace.spin(0.5, 4, 0);
        ConnectedLogPsi inSector = ConnectedLogPsi.of(Build.model(ARNNDense.builder(sector).layers(1), 3), 1);
        double[] outside = {1, 1, 1, -1};
        double[] lp = new double[1];
        inSector.setBase(outside, 0, 1, lp, 0);
        assertEquals(Double.NEGATIVE_INFINITY, lp[0], "logPsi outside the sector");
        e = assertThrows(IllegalArgumentException.class,
                () -> inSector.logRatios(new double[] {1, 1, -1, -1}, 0, 1, new int[]{1}, new double[1], 0));
        assertTrue(e.getMessage().startsWith("counts: row 0 has connected configurations but its base has psi = 0"),
                e.getMessage());
    }

    @Test
    void warmCallsAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        HilbertSpace h = HilbertSpace.spin(0.5, 20);
        ARNN model = Build.model(ARNNConv1D.builder(h).layers(3).features(8).kernelSize(3).machinePow(2f), 9);
        int rows = 32;
        double[] base = new double[rows * 20];
        Tensor sigma = Build.randomConfigurations(h, rows, 3);
        for (int e = 0; e < base.length; e++) {
            base[e] = sigma.getDouble(e);
        }
        double[] connected = new double[rows * 20 * 20];
        int[] counts = new int[rows];
        for (int b = 0; b < rows; b++) {
            counts[b] = 20;
            for (int k = 0; k < 20; k++) {
                System.arraycopy(base, b * 20, connected, (b * 20 + k) * 20, 20);
                connected[(b * 20 + k) * 20 + k] *= -1;
            }
        }
        for (ConnectedLogPsi evaluator : List.of(ConnectedLogPsi.of(model, rows),
                ConnectedLogPsi.withoutContextTable(model, rows))) {
            double[] logPsi = new double[rows];
            double[] ratios = new double[rows * 20];
            long allocated = Long.MAX_VALUE;
            for (WarmUpDeadline warm = WarmUpDeadline.start(); warm.notPassed() && allocated >= 1024; ) {
                long before = threads.getCurrentThreadAllocatedBytes();
                evaluator.setBase(base, 0, rows, logPsi, 0);
                evaluator.logRatios(connected, 0, 20, counts, ratios, 0);
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertTrue(allocated < 1024, allocated + " bytes allocated by warm calls (tabulated: "
                    + evaluator.tabulated() + ")");
        }
    }
}
