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
 * <li>{@link Form#DENSE}: S + lambda I formed (P x P, {@link #gram}) and solved by Cholesky;
 *     about n P^2 + P^3/3 multiply-adds.</li>
 * <li>{@link Form#MINSR}: by the push-through identity (A^T A + c I)^-1 A^T = A^T (A A^T + c I)^-1,
 *     with A = Obar / sqrt(n),
 *     <pre>  delta = Obar^T (Obar Obar^T + lambda n I)^-1 (2 eps)  </pre>
 *     an n x n Cholesky; about n^2 P + n^3/3. Exactly the DENSE solution for lambda > 0 (not the
 *     minSR approximation of a pseudo-inverse: the shift is kept).</li>
 * <li>{@link Form#CG}: conjugate gradients on (S + lambda I) x = F with S v = Obar^T (Obar v) / n,
 *     never forming S; about 2 n P per iteration, x0 = 0, stopping when
 *     ||F - (S + lambda I) x||_2 &lt;= tolerance ||F||_2 or after maxIterations.</li>
 * </ul>
 * {@link Form#AUTO} takes the cheapest by an estimate of each one's time ({@link #estimatedCost}):
 * the direct forms by their multiply-adds (Gram product and Cholesky, both cache-blocked products
 * of the kernels module), CG by its products' multiply-adds times an assumed
 * {@link #CG_ITERATIONS_ESTIMATE} iterations times {@link #CG_COST_PER_MULTIPLY_ADD}, since its
 * matrix-vector products stream the whole Jacobian from memory twice per iteration where the
 * direct forms reuse each loaded block (measured on the demo's (1024, 930) Jacobian: 92 CG
 * iterations to 1e-10, about 1 ms each, against 65 ms for the dense solve). A direct form whose
 * matrix would have more than {@link #DIRECT_MAX}^2 entries is never taken (memory). So
 * P &lt;= n gives DENSE, P &gt; n MINSR, until both are large (about 1200 each): then CG.
 *
 * <p>Mutable: keeps its matrices and vectors between calls (sized for the last n, P) and the
 * diagnostics of the last solve. One per driver, not thread-safe.
 */
public final class StochasticReconfiguration {

    /** How the linear system is solved. */
    public enum Form { AUTO, DENSE, MINSR, CG }

    /** Largest min(n, P) for which {@link Form#AUTO} may take a direct (Cholesky) solve. */
    public static final int DIRECT_MAX = 2048;
    /** CG iterations {@link Form#AUTO} assumes (the demo's system takes 92 to the default tolerance). */
    static final int CG_ITERATIONS_ESTIMATE = 100;
    /** Time of one of CG's streamed multiply-adds in units of a cache-blocked one (measured: about 5). */
    static final double CG_COST_PER_MULTIPLY_ADD = 5;
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
    private final io.jarnn.kernels.Kernels64 kernels = io.jarnn.kernels.Kernels64.active();
    private double[] nv = new double[0];
    private double[] transposed = new double[0];

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

    /** The form {@link Form#AUTO} takes for n samples and P parameters (see the class comment). */
    public static Form automaticForm(int n, int p) {
        Form best = Form.CG;
        for (Form f : new Form[] {Form.MINSR, Form.DENSE}) {
            if ((f == Form.DENSE ? p : n) <= DIRECT_MAX && estimatedCost(f, n, p) <= estimatedCost(best, n, p)) {
                best = f;
            }
        }
        return best;
    }

    /**
     * The estimated time of a form in cache-blocked multiply-adds: DENSE the Gram product's upper
     * triangle n P (P + 1) / 2 and the Cholesky factorisation P^3 / 3; MINSR the same with n and P
     * swapped; CG {@link #CG_ITERATIONS_ESTIMATE} iterations of 2 n P streamed multiply-adds.
     */
    static double estimatedCost(Form form, int n, int p) {
        return switch (form) {
            case DENSE -> (double) n * p * (p + 1) / 2 + (double) p * p * p / 3;
            case MINSR -> (double) p * n * (n + 1) / 2 + (double) n * n * n / 3;
            case CG -> CG_ITERATIONS_ESTIMATE * 2.0 * n * p * CG_COST_PER_MULTIPLY_ADD;
            case AUTO -> throw new IllegalArgumentException("form: expected DENSE, MINSR or CG but got AUTO");
        };
    }

    /** The form this SR uses for n samples and P parameters. */
    public Form formFor(int n, int p) {
        return form == Form.AUTO ? automaticForm(n, p) : form;
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
        centreColumns(o, n, p);
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
     * matrix, see {@link #solveSystem}). Allocates the transposed copy of a.
     */
    public static void gram(double[] a, int rows, int cols, double[] g) {
        double[] transposed = new double[Math.multiplyExact(rows, cols)];
        GramProduct.transpose(a, rows, cols, transposed);
        new GramProduct().gram(a, transposed, rows, cols, g, 1);
    }

    /** Obar^T (P x n) into the reused buffer {@link #transposed}. */
    private double[] transpose(double[] o, int n, int p) {
        if (transposed.length < o.length) {
            transposed = new double[o.length];
        }
        GramProduct.transpose(o, n, p, transposed);
        return transposed;
    }

    /** The reused square buffer, at least size^2 doubles. */
    private double[] square(int size) {
        long length = (long) size * size;
        if (matrix.length < length) {
            matrix = new double[Math.toIntExact(length)];
        }
        return matrix;
    }

    private void solveDense(double[] o, int n, int p, double[] delta) {
        force(o, n, p);
        double[] s = square(p);
        gramProduct.gram(o, transpose(o, n, p), n, p, s, threads);
        double inv = 1.0 / n;
        for (int i = 0; i < p * p; i++) {
            s[i] *= inv;
        }
        for (int i = 0; i < p; i++) {
            s[i * p + i] += diagShift;
        }
        System.arraycopy(force, 0, delta, 0, p);
        choleskySolve(s, p, delta);
    }

    private void solveMinSr(double[] o, int n, int p, double[] delta) {
        double[] t = square(n);
        gramProduct.gram(transpose(o, n, p), o, p, n, t, threads); // Obar Obar^T = (Obar^T)^T (Obar^T)
        double shift = diagShift * n;
        for (int i = 0; i < n; i++) {
            t[i * n + i] += shift;
        }
        if (nv.length != n) {
            nv = new double[n];
        }
        for (int b = 0; b < n; b++) {
            nv[b] = 2 * eps[b];
        }
        choleskySolve(t, n, nv);
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
        double[] m = square(p);
        System.arraycopy(s, 0, m, 0, p * p);
        for (int i = 0; i < p; i++) {
            m[i * p + i] += diagShift;
        }
        System.arraycopy(f, 0, delta, 0, p);
        lastIterations = 0;
        lastResidual = 0;
        choleskySolve(m, p, delta);
        lastForm = Form.DENSE;
    }

    /** Solves a x = b for the shifted (size x size) {@code a}, b overwritten by x. */
    private void choleskySolve(double[] a, int size, double[] b) {
        if (!cholesky.factor(a, size, threads)) {
            throw new ArithmeticException("stochastic reconfiguration: the shifted " + size + " x " + size
                    + " matrix is not positive definite (non-finite Jacobian or local energies?)");
        }
        cholesky.solve(b);
        for (int i = 0; i < size; i++) {
            if (!Double.isFinite(b[i])) {
                throw new ArithmeticException("stochastic reconfiguration: the solution is not finite at entry " + i);
            }
        }
    }

    /**
     * Conjugate gradients from x0 = 0, unpreconditioned: a Jacobi (diagonal) preconditioner was
     * tried on the demo's Jacobian and took four times the iterations to the same residual.
     */
    private void solveCg(double[] o, int n, int p, double[] x) {
        force(o, n, p);
        if (r.length != p) {
            r = new double[p];
            q = new double[p];
            dir = new double[p];
        }
        if (nv.length != n) {
            nv = new double[n];
        }
        double[] ot = transpose(o, n, p);
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
            applyShifted(o, ot, n, p, dir, q);
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
     * out = Obar^T (Obar v) / n + lambda v, both products through the kernels' matrix product as
     * one-row products ({@code (Obar v)^T = v^T Obar^T}, then {@code nv^T Obar}) so that they run
     * along the contiguous rows of {@code ot} = Obar^T and {@code o} = Obar.
     */
    private void applyShifted(double[] o, double[] ot, int n, int p, double[] v, double[] out) {
        java.util.Arrays.fill(nv, 0);
        kernels.accumulateTaps(v, 0, p, 0, 1, p, ot, 0, 0, n, nv, 0, n, 1, n);
        double inv = 1.0 / n;
        for (int b = 0; b < n; b++) {
            nv[b] *= inv;
        }
        for (int e = 0; e < p; e++) {
            out[e] = diagShift * v[e];
        }
        kernels.accumulateTaps(nv, 0, n, 0, 1, n, o, 0, 0, p, out, 0, p, 1, p);
    }

    private static double dot(double[] a, double[] b, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
