package io.jarnn.vmc;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

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
 * {@link Form#AUTO} takes the direct solve on the smaller side while it stays small: with
 * m = min(n, P), DENSE when P &lt;= n and MINSR when P &gt; n, as long as m &lt;= {@link #DIRECT_MAX};
 * CG beyond (both sides large: a Cholesky of more than 2048^2 entries costs more than a few
 * hundred CG iterations, and the matrix memory grows as m^2).
 *
 * <p>Mutable: keeps its matrices and vectors between calls (sized for the last n, P) and the
 * diagnostics of the last solve. One per driver, not thread-safe.
 */
public final class StochasticReconfiguration {

    /** How the linear system is solved. */
    public enum Form { AUTO, DENSE, MINSR, CG }

    /** Largest min(n, P) for which {@link Form#AUTO} takes a direct (Cholesky) solve. */
    public static final int DIRECT_MAX = 2048;
    /** NetKet's default {@code diag_shift}. */
    public static final double DEFAULT_DIAG_SHIFT = 0.01;
    public static final double DEFAULT_CG_TOLERANCE = 1e-10;

    private final double diagShift;
    private final Form form;
    private final double cgTolerance;
    private final int cgMaxIterations;

    private DMatrixRMaj matrix = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj rhs = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj solution = new DMatrixRMaj(1, 1);
    private LinearSolverDense<DMatrixRMaj> cholesky;
    private int choleskySize = -1;
    private double[] eps = new double[0];
    private double[] force = new double[0];
    private double[] r = new double[0];
    private double[] q = new double[0];
    private double[] dir = new double[0];
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
        if (Math.min(n, p) > DIRECT_MAX) {
            return Form.CG;
        }
        return p <= n ? Form.DENSE : Form.MINSR;
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

    /** Gram products of at least this many multiply-adds are split over the common pool's threads. */
    static final long PARALLEL_GRAM_MIN = 1L << 24;

    /**
     * g = a^T a for a (rows x cols) row-major into g (cols x cols): the upper triangle by rank-4
     * updates over four rows at a time (an axpy along contiguous j that C2 vectorises; EJML's
     * multInner was several times slower on these shapes), then mirrored. Large products split
     * the triangle's rows i over tasks (row i to task i mod tasks, which balances the triangle);
     * each entry is still summed by one task in one fixed order, so the result is bitwise the
     * same for any number of threads. Public for partial sums of S computed elsewhere (a
     * Spark partition's share of the Gram matrix, see {@link #solveSystem}).
     */
    public static void gram(double[] a, int rows, int cols, double[] g) {
        java.util.Arrays.fill(g, 0, cols * cols, 0);
        long work = (long) rows * cols * cols / 2;
        int tasks = work < PARALLEL_GRAM_MIN ? 1
                : Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, cols / 16));
        if (tasks == 1) {
            gramRows(a, rows, cols, g, 0, 1);
        } else {
            java.util.stream.IntStream.range(0, tasks).parallel().forEach(t -> gramRows(a, rows, cols, g, t, tasks));
        }
        for (int i = 0; i < cols; i++) {
            for (int j = i + 1; j < cols; j++) {
                g[j * cols + i] = g[i * cols + j];
            }
        }
    }

    /** Adds to g the upper-triangle rows i = first, first + stride, ... of a^T a. */
    static void gramRows(double[] a, int rows, int cols, double[] g, int first, int stride) {
        int b = 0;
        for (; b + 4 <= rows; b += 4) {
            int r0 = b * cols;
            int r1 = r0 + cols;
            int r2 = r1 + cols;
            int r3 = r2 + cols;
            for (int i = first; i < cols; i += stride) {
                double x0 = a[r0 + i];
                double x1 = a[r1 + i];
                double x2 = a[r2 + i];
                double x3 = a[r3 + i];
                int gi = i * cols;
                for (int j = i; j < cols; j++) {
                    g[gi + j] += x0 * a[r0 + j] + x1 * a[r1 + j] + x2 * a[r2 + j] + x3 * a[r3 + j];
                }
            }
        }
        for (; b < rows; b++) {
            int r0 = b * cols;
            for (int i = first; i < cols; i += stride) {
                double x0 = a[r0 + i];
                int gi = i * cols;
                for (int j = i; j < cols; j++) {
                    g[gi + j] += x0 * a[r0 + j];
                }
            }
        }
    }

    private LinearSolverDense<DMatrixRMaj> cholesky(int size) {
        if (choleskySize != size) {
            cholesky = LinearSolverFactory_DDRM.chol(size);
            choleskySize = size;
        }
        return cholesky;
    }

    private void solveDense(double[] o, int n, int p, double[] delta) {
        force(o, n, p);
        matrix.reshape(p, p);
        gram(o, n, p, matrix.data);
        double[] s = matrix.data;
        double inv = 1.0 / n;
        for (int i = 0; i < p * p; i++) {
            s[i] *= inv;
        }
        for (int i = 0; i < p; i++) {
            s[i * p + i] += diagShift;
        }
        rhs.reshape(p, 1);
        System.arraycopy(force, 0, rhs.data, 0, p);
        choleskySolve(p, delta);
    }

    private void solveMinSr(double[] o, int n, int p, double[] delta) {
        if (transposed.length != o.length) {
            transposed = new double[o.length];
        }
        for (int b = 0; b < n; b++) {
            for (int e = 0; e < p; e++) {
                transposed[e * n + b] = o[b * p + e];
            }
        }
        matrix.reshape(n, n);
        gram(transposed, p, n, matrix.data); // Obar Obar^T = (Obar^T)^T (Obar^T)
        double shift = diagShift * n;
        double[] t = matrix.data;
        for (int i = 0; i < n; i++) {
            t[i * n + i] += shift;
        }
        rhs.reshape(n, 1);
        for (int b = 0; b < n; b++) {
            rhs.data[b] = 2 * eps[b];
        }
        if (nv.length != n) {
            nv = new double[n];
        }
        choleskySolve(n, nv);
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
        matrix.reshape(p, p);
        double[] m = matrix.data;
        System.arraycopy(s, 0, m, 0, p * p);
        for (int i = 0; i < p; i++) {
            m[i * p + i] += diagShift;
        }
        rhs.reshape(p, 1);
        System.arraycopy(f, 0, rhs.data, 0, p);
        lastIterations = 0;
        lastResidual = 0;
        choleskySolve(p, delta);
        lastForm = Form.DENSE;
    }

    private void choleskySolve(int size, double[] out) {
        LinearSolverDense<DMatrixRMaj> solver = cholesky(size);
        if (!solver.setA(matrix)) {
            throw new ArithmeticException("stochastic reconfiguration: the shifted " + size + " x " + size
                    + " matrix is not positive definite (non-finite Jacobian or local energies?)");
        }
        solution.reshape(size, 1);
        solver.solve(rhs, solution);
        for (int i = 0; i < size; i++) {
            double x = solution.data[i];
            if (!Double.isFinite(x)) {
                throw new ArithmeticException("stochastic reconfiguration: the solution is not finite at entry " + i);
            }
            out[i] = x;
        }
    }

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

    /** out = (Obar^T (Obar v) / n + lambda v). */
    private void applyShifted(double[] o, int n, int p, double[] v, double[] out) {
        for (int b = 0; b < n; b++) {
            int row = b * p;
            double s = 0;
            for (int e = 0; e < p; e++) {
                s += o[row + e] * v[e];
            }
            nv[b] = s / n;
        }
        for (int e = 0; e < p; e++) {
            out[e] = diagShift * v[e];
        }
        for (int b = 0; b < n; b++) {
            double c = nv[b];
            int row = b * p;
            for (int e = 0; e < p; e++) {
                out[e] += c * o[row + e];
            }
        }
    }

    private static double dot(double[] a, double[] b, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
