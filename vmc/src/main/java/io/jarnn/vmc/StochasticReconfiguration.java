package io.jarnn.vmc;

/**
 * Stochastic reconfiguration (SR, the natural gradient of VMC) for real parameters and a real,
 * positive psi: the direction delta solving
 * <pre>
 *   (S + lambda I) delta = F,    S = &lt;O O^T&gt; - &lt;O&gt;&lt;O&gt;^T = Obar^T Obar / n,
 *                                F = 2 &lt;(E_loc - Ebar) O&gt;  = 2 Obar^T eps / n,
 * </pre>
 * with O[b, :] = d logPsi(sigma_b) / d theta over the n samples, Obar its rows minus their mean
 * (the centred Jacobian), eps[b] = E_loc(sigma_b) - Ebar the centred local energies and lambda
 * the diagonal shift (NetKet's {@code diag_shift}). F is the energy gradient; the driver hands
 * delta to an {@link Optimizer} (with {@link Sgd}, theta -= learningRate * delta: NetKet's
 * {@code VMC(..., Sgd(lr), preconditioner=SR(diag_shift))}). Everything is accumulated and
 * solved in double; only the Gram products of large systems run on several threads, each entry
 * summed by one thread in a fixed order, so the result does not depend on any thread count.
 *
 * <p>Three exact forms of the same solution ({@link Form}):
 * <ul>
 * <li>{@link Form#DENSE}: the upper triangle of S + lambda I formed (P x P, {@link GramProduct}
 *     on the packed centred Jacobian) and solved by Cholesky on it in place
 *     ({@link BlockedCholesky}); about n P^2 / 2 + P^3/6 multiply-adds.</li>
 * <li>{@link Form#MINSR}: by the push-through identity (A^T A + c I)^-1 A^T = A^T (A A^T + c I)^-1,
 *     with A = Obar / sqrt(n),
 *     <pre>  delta = Obar^T (Obar Obar^T + lambda n I)^-1 (2 eps)  </pre>
 *     an n x n Cholesky; about n^2 P / 2 + n^3/6. Exactly the DENSE solution for lambda > 0 (not the
 *     minSR approximation of a pseudo-inverse: the shift is kept).</li>
 * <li>{@link Form#CG}: conjugate gradients on (S + lambda I) x = F with S v = Obar^T (Obar v) / n,
 *     never forming S (one pass over Obar per iteration, each row's dot product and update
 *     together); about 2 n P per iteration, x0 = 0, stopping when
 *     ||F - (S + lambda I) x||_2 &lt;= tolerance ||F||_2 or after maxIterations.</li>
 * </ul>
 * {@link Form#AUTO} takes the cheapest by an estimate of each one's time ({@link #estimatedCost}):
 * the direct forms by their multiply-adds (Gram product and Cholesky, both cache-blocked products
 * of the kernels module), CG by its products' multiply-adds times the iterations its tolerance
 * takes ({@link #cgIterationsEstimate}) times {@link #CG_COST_PER_MULTIPLY_ADD}, since its
 * matrix-vector products stream the whole Jacobian from memory every iteration where the direct
 * forms reuse each loaded block. Measured (thread CPU time on a loaded 2-vCPU machine) on the
 * VmcStep system, an untrained (1024, 930) float64 Jacobian at shift 0.01: CG took 9, 24, 32,
 * 42, 50, 71 and 92 iterations to the tolerances 1e-2, 1e-3, ..., 1e-6, 1e-8, 1e-10, about
 * 0.9 ms each, about 13 times the time of one of the Gram product's multiply-adds (16 ms for its
 * 4.4e8, before the Gram product was blocked twice: it is faster now, which favours the direct
 * forms further), so {@link #CG_COST_PER_MULTIPLY_ADD} is 12; its direction was within 2.3e-3 of the
 * dense one at 1e-5, 2.4e-4 at 1e-6 (relative 2-norm). Along the demo's trajectory (P = 634) the
 * system gets harder as the model learns: 65 to 71 iterations to 1e-4, 68 to 117 to 1e-5, i.e.
 * about 18 per decade, which is what {@link #CG_ITERATIONS_PER_DECADE} assumes; starting from the
 * previous step's solution (NetKet's default) saved nothing there (5 fewer to 11 more
 * iterations: each step's samples and model are new, so its residual is about as large as F)
 * and a Jacobi preconditioner took 1.4 to 2.6 times the iterations. At 1e-5 the trajectory is
 * as good as the dense one (mean energy of steps 81-100 within 4.7e-4 of the exact, dense
 * 4.9e-4; at 1e-4 5.8e-4), but CG does not win at this
 * size: 90 iterations cost several times the Gram product and the factorisation. A direct form
 * whose matrix would have more than {@link #DIRECT_MAX}^2 entries is never taken (memory). So
 * P &lt;= n gives DENSE, P &gt; n MINSR, until a direct form's matrix is too large: then CG; with
 * a loose tolerance CG comes earlier (at 1e-2 from about n = P = 1300).
 *
 * <p>Mutable: keeps its matrices and vectors between calls (sized for the last n, P) and the
 * diagnostics of the last solve. One per driver, not thread-safe.
 */
public final class StochasticReconfiguration {

    /** How the linear system is solved. */
    public enum Form { AUTO, DENSE, MINSR, CG }

    /** Largest min(n, P) for which {@link Form#AUTO} may take a direct (Cholesky) solve. */
    public static final int DIRECT_MAX = 2048;
    /**
     * CG iterations per decade of its tolerance that {@link Form#AUTO} assumes (along the demo's
     * trajectory: 65 to 71 to 1e-4, 75 to 94 to 1e-5; an untrained model takes half as many).
     */
    static final double CG_ITERATIONS_PER_DECADE = 18;
    /** Time of one of CG's streamed multiply-adds in units of a cache-blocked one (measured: 12 to 14). */
    static final double CG_COST_PER_MULTIPLY_ADD = 12;
    /** NetKet's default {@code diag_shift}. */
    public static final double DEFAULT_DIAG_SHIFT = 0.01;
    public static final double DEFAULT_CG_TOLERANCE = 1e-10;

    private final double diagShift;
    private final Form form;
    private final double cgTolerance;
    private final int cgMaxIterations;
    private final int threads;

    private final GramProduct gramProduct = new GramProduct();
    private final BlockedCholesky cholesky = new BlockedCholesky();
    private double[] matrix = new double[0];
    private double[] eps = new double[0];
    private double[] force = new double[0];
    private double[] r = new double[0];
    private double[] q = new double[0];
    private double[] dir = new double[0];
    private double[] nv = new double[0];
    private double[] packed = new double[0];
    private double[] mean = new double[0];

    private Form lastForm;
    private int lastIterations;
    private double lastResidual;

    /** SR with NetKet's default shift 0.01, the automatic form and CG tolerance 1e-10. */
    public StochasticReconfiguration() {
        this(DEFAULT_DIAG_SHIFT, Form.AUTO);
    }

    public StochasticReconfiguration(double diagShift, Form form) {
        this(diagShift, form, DEFAULT_CG_TOLERANCE, 0);
    }

    /**
     * @param cgMaxIterations CG's cap; 0 for the default max(100, 2 P)
     */
    public StochasticReconfiguration(double diagShift, Form form, double cgTolerance, int cgMaxIterations) {
        this(diagShift, form, cgTolerance, cgMaxIterations, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param cgMaxIterations CG's cap; 0 for the default max(100, 2 P)
     * @param threads         most threads the Gram products and factorisation may use (of the
     *                        common pool); the result does not depend on it
     */
    public StochasticReconfiguration(double diagShift, Form form, double cgTolerance, int cgMaxIterations,
                                     int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected >= 1 but got " + threads);
        }
        if (!(diagShift > 0) || !Double.isFinite(diagShift)) {
            throw new IllegalArgumentException("diagShift: expected a finite value > 0 but got " + diagShift);
        }
        if (form == null) {
            throw new IllegalArgumentException("form: expected AUTO, DENSE, MINSR or CG but got null");
        }
        if (!(cgTolerance > 0) || !(cgTolerance < 1)) {
            throw new IllegalArgumentException("cgTolerance: expected 0 < tolerance < 1 but got " + cgTolerance);
        }
        if (cgMaxIterations < 0) {
            throw new IllegalArgumentException("cgMaxIterations: expected >= 0 (0: default) but got " + cgMaxIterations);
        }
        this.diagShift = diagShift;
        this.form = form;
        this.cgTolerance = cgTolerance;
        this.cgMaxIterations = cgMaxIterations;
        this.threads = threads;
    }

    /** The most threads a solve uses. */
    public int threads() {
        return threads;
    }

    public double diagShift() {
        return diagShift;
    }

    /** The requested form (possibly {@link Form#AUTO}). */
    public Form form() {
        return form;
    }

    /**
     * The form {@link Form#AUTO} takes for n samples and P parameters at the default CG
     * tolerance (see the class comment).
     */
    public static Form automaticForm(int n, int p) {
        return automaticForm(n, p, DEFAULT_CG_TOLERANCE);
    }

    /** The form {@link Form#AUTO} takes for n samples and P parameters when CG would stop at {@code cgTolerance}. */
    public static Form automaticForm(int n, int p, double cgTolerance) {
        Form best = Form.CG;
        for (Form f : new Form[] {Form.MINSR, Form.DENSE}) {
            if ((f == Form.DENSE ? p : n) <= DIRECT_MAX
                    && estimatedCost(f, n, p, cgTolerance) <= estimatedCost(best, n, p, cgTolerance)) {
                best = f;
            }
        }
        return best;
    }

    /** CG iterations {@link Form#AUTO} assumes to reach {@code cgTolerance}: {@link #CG_ITERATIONS_PER_DECADE} per decade. */
    static double cgIterationsEstimate(double cgTolerance) {
        return Math.max(1, Math.ceil(CG_ITERATIONS_PER_DECADE * -Math.log10(cgTolerance)));
    }

    /**
     * The estimated time of a form in cache-blocked multiply-adds: DENSE the Gram product's upper
     * triangle n P (P + 1) / 2 and the Cholesky factorisation P^3 / 6; MINSR the same with n and P
     * swapped; CG {@link #cgIterationsEstimate} iterations of 2 n P streamed multiply-adds.
     */
    static double estimatedCost(Form form, int n, int p, double cgTolerance) {
        return switch (form) {
            case DENSE -> (double) n * p * (p + 1) / 2 + (double) p * p * p / 6;
            case MINSR -> (double) p * n * (n + 1) / 2 + (double) n * n * n / 6;
            case CG -> cgIterationsEstimate(cgTolerance) * 2.0 * n * p * CG_COST_PER_MULTIPLY_ADD;
            case AUTO -> throw new IllegalArgumentException("form: expected DENSE, MINSR or CG but got AUTO");
        };
    }

    /** The form this SR uses for n samples and P parameters (AUTO: by the cost estimates at this SR's CG tolerance). */
    public Form formFor(int n, int p) {
        return form == Form.AUTO ? automaticForm(n, p, cgTolerance) : form;
    }

    /** The form of the last {@link #solve}. */
    public Form lastForm() {
        return lastForm;
    }

    /** CG iterations of the last solve (0 for a direct form). */
    public int lastIterations() {
        return lastIterations;
    }

    /** ||F - (S + lambda I) delta|| / ||F|| of the last CG solve (0 for a direct form, which does not measure it). */
    public double lastRelativeResidual() {
        return lastResidual;
    }

    /**
     * The SR direction delta (length P) for the Jacobian {@code o} (n x P row-major; CENTRED IN
     * PLACE: on return it holds Obar) and the local energies {@code energies} (n, not modified).
     *
     * @return the form used
     * @throws ArithmeticException if the shifted matrix is not numerically positive definite
     *                             (a non-finite Jacobian or energy)
     */
    public Form solve(double[] o, int n, int p, double[] energies, double[] delta) {
        if (n < 1 || p < 1 || o.length != (long) n * p || energies.length != n || delta.length != p) {
            throw new IllegalArgumentException("o, energies, delta: expected lengths n*P = " + ((long) n * p) + ", n = " + n
                    + ", P = " + p + " but got " + o.length + ", " + energies.length + ", " + delta.length);
        }
        if (eps.length != n) {
            eps = new double[n];
        }
        double mean = 0;
        for (int b = 0; b < n; b++) {
            mean += energies[b];
        }
        mean /= n;
        for (int b = 0; b < n; b++) {
            eps[b] = energies[b] - mean;
        }
        Form used = formFor(n, p);
        if (used == Form.DENSE) {
            centreAndPack(o, n, p);
        } else {
            centreColumns(o, n, p);
        }
        lastIterations = 0;
        lastResidual = 0;
        switch (used) {
            case DENSE -> solveDense(o, n, p, delta);
            case MINSR -> solveMinSr(o, n, p, delta);
            case CG -> solveCg(o, n, p, delta);
            default -> throw new AssertionError(used);
        }
        lastForm = used;
        return used;
    }

    /** Subtracts from each column of the (n, P) row-major {@code o} its mean over the rows. */
    public static void centreColumns(double[] o, int n, int p) {
        double[] mean = new double[p];
        for (int b = 0; b < n; b++) {
            int row = b * p;
            for (int e = 0; e < p; e++) {
                mean[e] += o[row + e];
            }
        }
        for (int e = 0; e < p; e++) {
            mean[e] /= n;
        }
        for (int b = 0; b < n; b++) {
            int row = b * p;
            for (int e = 0; e < p; e++) {
                o[row + e] -= mean[e];
            }
        }
    }

    /** F = 2 Obar^T eps / n into {@code force} (length P). */
    private void force(double[] o, int n, int p) {
        if (force.length != p) {
            force = new double[p];
        }
        java.util.Arrays.fill(force, 0);
        for (int b = 0; b < n; b++) {
            double c = 2 * eps[b] / n;
            int row = b * p;
            for (int e = 0; e < p; e++) {
                force[e] += c * o[row + e];
            }
        }
    }

    /**
     * g = a^T a for a (rows x cols) row-major into g (cols x cols), by the same blocked product as
     * the dense solve ({@link GramProduct}, single-threaded; bitwise the same on any thread count).
     * Public for partial sums of S computed elsewhere (a Spark partition's share of the Gram
     * matrix, see {@link #solveSystem}). Allocates a packed copy of a and the padded product
     * ({@link #gramUpper} reuses the caller's and writes the upper triangle only).
     */
    public static void gram(double[] a, int rows, int cols, double[] g) {
        requireGramShapes(a, rows, cols);
        if (g == null || g.length < (long) cols * cols) {
            throw new IllegalArgumentException("g: expected at least cols * cols = " + ((long) cols * cols)
                    + " doubles but got " + (g == null ? "null" : g.length));
        }
        new GramProduct().gram(a, rows, cols, g);
    }

    /**
     * Doubles of the scratch {@link #gramUpper} needs for a (rows x cols) matrix: a packed copy of
     * it and the padded product, about (rows + cols) cols doubles.
     */
    public static int gramScratchLength(int rows, int cols) {
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException("rows, cols: expected rows >= 0, cols >= 1 but got " + rows + ", " + cols);
        }
        return GramProduct.gramScratchLength(rows, cols);
    }

    /**
     * The upper triangle of a^T a for a (rows x cols) row-major, the entries i &lt;= j row by row
     * (cols (cols + 1) / 2 values) into {@code triangle}: the bits of {@link #gram}'s upper
     * triangle, without its allocations or its lower triangle. {@code scratch} (at least
     * {@link #gramScratchLength}{@code (rows, cols)} doubles, overwritten) is the caller's, to be
     * reused from call to call (a Spark partition's share of S, every step).
     */
    public static void gramUpper(double[] a, int rows, int cols, double[] scratch, double[] triangle) {
        requireGramShapes(a, rows, cols);
        int needed = GramProduct.gramScratchLength(rows, cols);
        if (scratch == null || scratch.length < needed) {
            throw new IllegalArgumentException("scratch: expected at least gramScratchLength(" + rows + ", " + cols
                    + ") = " + needed + " doubles but got " + (scratch == null ? "null" : scratch.length));
        }
        long upper = (long) cols * (cols + 1) / 2;
        if (triangle == null || triangle.length < upper) {
            throw new IllegalArgumentException("triangle: expected at least cols (cols + 1) / 2 = " + upper
                    + " doubles but got " + (triangle == null ? "null" : triangle.length));
        }
        new GramProduct().gramUpper(a, rows, cols, scratch, triangle);
    }

    private static void requireGramShapes(double[] a, int rows, int cols) {
        if (rows < 0 || cols < 1 || a == null || a.length < (long) rows * cols) {
            throw new IllegalArgumentException("a, rows, cols: expected rows >= 0, cols >= 1 and at least rows * cols"
                    + " doubles but got rows " + rows + ", cols " + cols + ", "
                    + (a == null ? "a null" : a.length + " doubles"));
        }
    }

    /**
     * The reused square buffer for a padded system of {@code size} unknowns:
     * {@link GramProduct#padded}(size)^2 doubles, the upper block triangle (the row panels from
     * their diagonal on) zeroed.
     */
    private double[] paddedSquare(int size) {
        int ld = GramProduct.padded(size);
        long length = (long) ld * ld;
        if (matrix.length < length) {
            matrix = new double[Math.toIntExact(length)];
        }
        for (int r0 = 0; r0 < ld; r0 += GramProduct.PANEL) {
            for (int r = r0; r < r0 + GramProduct.PANEL; r++) {
                java.util.Arrays.fill(matrix, r * ld + r0, (r + 1) * ld, 0);
            }
        }
        return matrix;
    }

    /** The reused packed buffer, at least {@code length} doubles. */
    private double[] packedBuffer(int length) {
        if (packed.length < length) {
            packed = new double[length];
        }
        return packed;
    }

    /** The reused right-hand side of a padded system of {@code size} unknowns, zeroed. */
    private double[] paddedRhs(int size) {
        int ld = GramProduct.padded(size);
        if (nv.length != ld) {
            nv = new double[ld];
        }
        java.util.Arrays.fill(nv, 0);
        return nv;
    }

    /**
     * DENSE's one pass over the Jacobian after its column means: each row centred in place, copied
     * into the packed panels of {@link #packed} ({@link GramProduct#pack}'s layout) and added into
     * the right-hand side {@code nv} = n F = 2 Obar^T eps (each entry summed in ascending rows).
     */
    private void centreAndPack(double[] o, int n, int p) {
        columnMeans(o, n, p);
        int panels = Math.ceilDiv(p, GramProduct.PANEL);
        double[] pk = packedBuffer(GramProduct.packedLength(n, p));
        double[] rhs = paddedRhs(p);
        double[] m = mean;
        for (int q = panels - 1; q >= 0 && (q + 1) * GramProduct.PANEL > p; q--) {
            // The padded columns of the last panel.
            for (int b = 0; b < n; b++) {
                java.util.Arrays.fill(pk, q * n * GramProduct.PANEL + b * GramProduct.PANEL + (p - q * GramProduct.PANEL),
                        q * n * GramProduct.PANEL + (b + 1) * GramProduct.PANEL, 0);
            }
        }
        for (int b = 0; b < n; b++) {
            int row = b * p;
            double twoEps = 2 * eps[b];
            for (int q = 0; q < panels; q++) {
                int e0 = q * GramProduct.PANEL;
                int width = Math.min(GramProduct.PANEL, p - e0);
                int dst = q * n * GramProduct.PANEL + b * GramProduct.PANEL;
                for (int c = 0; c < width; c++) {
                    double v = o[row + e0 + c] - m[e0 + c];
                    o[row + e0 + c] = v;
                    pk[dst + c] = v;
                    rhs[e0 + c] = Math.fma(twoEps, v, rhs[e0 + c]);
                }
            }
        }
    }

    /** The column means of the (n, P) row-major {@code o} into {@link #mean}. */
    private void columnMeans(double[] o, int n, int p) {
        if (mean.length != p) {
            mean = new double[p];
        }
        java.util.Arrays.fill(mean, 0);
        for (int b = 0; b < n; b++) {
            int row = b * p;
            for (int e = 0; e < p; e++) {
                mean[e] += o[row + e];
            }
        }
        for (int e = 0; e < p; e++) {
            mean[e] /= n;
        }
    }

    /**
     * (S + lambda I) delta = F solved as the same system times n, (Obar^T Obar + lambda n I) delta
     * = 2 Obar^T eps: no pass scales the Gram matrix. Padded to whole panels: the padded rows and
     * columns of the Gram matrix are zero, so the padded system is block diagonal with lambda n I
     * in the padding and the padded unknowns come out zero.
     */
    private void solveDense(double[] o, int n, int p, double[] delta) {
        // centreAndPack (in solve) filled packed and the right-hand side nv.
        double[] s = paddedSquare(p);
        int ld = GramProduct.padded(p);
        gramProduct.upper(packed, packed, n, p, s, 0, ld, threads);
        double shift = diagShift * n;
        for (int i = 0; i < ld; i++) {
            s[i * ld + i] += shift;
        }
        choleskySolve(s, p, ld, nv);
        System.arraycopy(nv, 0, delta, 0, p);
    }

    private void solveMinSr(double[] o, int n, int p, double[] delta) {
        double[] pk = packedBuffer(GramProduct.packedLength(p, n));
        GramProduct.packTransposed(o, n, p, pk);
        double[] t = paddedSquare(n);
        int ld = GramProduct.padded(n);
        gramProduct.upper(pk, pk, p, n, t, 0, ld, threads); // Obar Obar^T = (Obar^T)^T (Obar^T)
        double shift = diagShift * n;
        for (int i = 0; i < ld; i++) {
            t[i * ld + i] += shift;
        }
        double[] rhs = paddedRhs(n);
        for (int b = 0; b < n; b++) {
            rhs[b] = 2 * eps[b];
        }
        choleskySolve(t, n, ld, rhs);
        java.util.Arrays.fill(delta, 0);
        for (int b = 0; b < n; b++) {
            double y = nv[b];
            int row = b * p;
            for (int e = 0; e < p; e++) {
                delta[e] += y * o[row + e];
            }
        }
    }

    /**
     * The SR direction delta for a system reduced elsewhere, e.g. summed over the partitions of a
     * Spark job: solves {@code (S + lambda I) delta = F} by Cholesky, as {@link Form#DENSE} does,
     * for the unshifted {@code s} (P x P row-major, symmetric, not modified) and {@code f}
     * (length P). Records {@link Form#DENSE} as the last form.
     *
     * @throws ArithmeticException if the shifted matrix is not numerically positive definite
     */
    public void solveSystem(double[] s, double[] f, int p, double[] delta) {
        if (p < 1 || s.length != (long) p * p || f.length != p || delta.length != p) {
            throw new IllegalArgumentException("s, f, delta: expected lengths P*P = " + ((long) p * p) + ", P = " + p
                    + ", P but got " + s.length + ", " + f.length + ", " + delta.length);
        }
        double[] m = paddedSquare(p);
        int ld = GramProduct.padded(p);
        for (int i = 0; i < p; i++) {
            System.arraycopy(s, i * p + i, m, i * ld + i, p - i);
        }
        for (int i = 0; i < ld; i++) {
            m[i * ld + i] += diagShift;
        }
        double[] rhs = paddedRhs(p);
        System.arraycopy(f, 0, rhs, 0, p);
        lastIterations = 0;
        lastResidual = 0;
        choleskySolve(m, p, ld, rhs);
        System.arraycopy(rhs, 0, delta, 0, p);
        lastForm = Form.DENSE;
    }

    /**
     * Solves a x = b for the shifted, padded {@code a} (its upper triangle; row stride ld, the
     * padding lambda times the identity), b (length ld, zero in the padding) overwritten by x.
     * Only the first {@code size} unknowns are checked: the padded ones are zero.
     */
    private void choleskySolve(double[] a, int size, int ld, double[] b) {
        if (!cholesky.factor(a, ld, ld, threads, b)) {
            throw new ArithmeticException("stochastic reconfiguration: the shifted " + size + " x " + size
                    + " matrix is not positive definite (non-finite Jacobian or local energies?)");
        }
        cholesky.backSubstitute(b);
        for (int i = 0; i < size; i++) {
            if (!Double.isFinite(b[i])) {
                throw new ArithmeticException("stochastic reconfiguration: the solution is not finite at entry " + i);
            }
        }
    }

    /**
     * Conjugate gradients from x0 = 0, unpreconditioned: along the demo's trajectory a Jacobi
     * (diagonal) preconditioner took 1.4 to 2.6 times the iterations to the same residual, and a
     * warm start from the previous step's solution saved none (see the class comment).
     */
    private void solveCg(double[] o, int n, int p, double[] x) {
        force(o, n, p);
        if (r.length != p) {
            r = new double[p];
            q = new double[p];
            dir = new double[p];
        }
        int maxIterations = cgMaxIterations > 0 ? cgMaxIterations : Math.max(100, 2 * p);
        java.util.Arrays.fill(x, 0);
        System.arraycopy(force, 0, r, 0, p);
        System.arraycopy(force, 0, dir, 0, p);
        double fNorm = Math.sqrt(dot(force, force, p));
        if (!Double.isFinite(fNorm)) {
            throw new ArithmeticException("stochastic reconfiguration: the energy gradient is not finite");
        }
        double rr = fNorm * fNorm;
        double target = cgTolerance * fNorm;
        int it = 0;
        while (Math.sqrt(rr) > target && it < maxIterations) {
            applyShifted(o, n, p, dir, q);
            double alpha = rr / dot(dir, q, p);
            for (int e = 0; e < p; e++) {
                x[e] += alpha * dir[e];
                r[e] -= alpha * q[e];
            }
            double rrNew = dot(r, r, p);
            double beta = rrNew / rr;
            rr = rrNew;
            for (int e = 0; e < p; e++) {
                dir[e] = r[e] + beta * dir[e];
            }
            it++;
        }
        lastIterations = it;
        lastResidual = fNorm == 0 ? 0 : Math.sqrt(rr) / fNorm;
        for (int e = 0; e < p; e++) {
            if (!Double.isFinite(x[e])) {
                throw new ArithmeticException("stochastic reconfiguration: the CG solution is not finite at entry " + e);
            }
        }
    }

    /**
     * out = Obar^T (Obar v) / n + lambda v = lambda v + sum_b (Obar[b, :] . v / n) Obar[b, :], one
     * row of Obar at a time: its dot product with v, then the row scaled into out while it is
     * still in the level-1 cache. One pass over the Jacobian per iteration (the two products one
     * after the other read it twice, and the first one its transposed copy), which is what an
     * iteration's time is: CG streams the Jacobian from memory. Single-threaded, every sum in a
     * fixed order.
     */
    private void applyShifted(double[] o, int n, int p, double[] v, double[] out) {
        double inv = 1.0 / n;
        for (int e = 0; e < p; e++) {
            out[e] = diagShift * v[e];
        }
        for (int b = 0; b < n; b++) {
            int row = b * p;
            double c = rowDot(o, row, v, p) * inv;
            for (int e = 0; e < p; e++) {
                out[e] += c * o[row + e];
            }
        }
    }

    /**
     * o[row .. row + p) . v in eight interleaved partial sums (added in a fixed order), so that
     * the multiply-adds do not wait on one another.
     */
    private static double rowDot(double[] o, int row, double[] v, int p) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int e = 0;
        for (; e + 8 <= p; e += 8) {
            s0 += o[row + e] * v[e];
            s1 += o[row + e + 1] * v[e + 1];
            s2 += o[row + e + 2] * v[e + 2];
            s3 += o[row + e + 3] * v[e + 3];
            s4 += o[row + e + 4] * v[e + 4];
            s5 += o[row + e + 5] * v[e + 5];
            s6 += o[row + e + 6] * v[e + 6];
            s7 += o[row + e + 7] * v[e + 7];
        }
        for (; e < p; e++) {
            s0 += o[row + e] * v[e];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    private static double dot(double[] a, double[] b, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
