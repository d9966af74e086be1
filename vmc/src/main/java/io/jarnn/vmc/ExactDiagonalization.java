package io.jarnn.vmc;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.SplittableRandom;

/**
 * Exact references through the {@link Operator} API: the dense matrix of a small operator, and
 * the ground-state energy by Lanczos with a sparse, matrix-free product.
 *
 * <p>The space is enumerated by a {@link StateIndex} (a constrained space: its sector only).
 * {@code y = H x} runs {@link Operator#connected} over all states in chunks (on up to
 * {@code availableProcessors} threads, each owning a contiguous range of rows, so the result does
 * not depend on the thread count) and looks each connected configuration up; one outside the
 * sector is dropped, i.e. the product is that of {@code P H P} with P the projector on the
 * space, which is H itself for an operator that conserves the constraint.
 *
 * <p>Lanczos with full reorthogonalisation (classical Gram-Schmidt, twice, against every basis
 * vector) and explicit restarts: at most {@code maxBasis} vectors of {@code dim} doubles are
 * kept; when they are used up the Krylov space restarts from the current Ritz vector. Stopping
 * rule: the Ritz residual {@code ||H v - theta v|| = beta_j |s_j|} at most
 * {@code tolerance * max(1, |theta|)} (default 1e-11, so the energy, whose error is at most the
 * residual and usually its square over the gap, is converged to far better than 1e-10 relative).
 * Memory: {@code maxBasis + 3} vectors of {@code 8 dim} bytes, plus {@code N dim} bytes for the
 * states and the chunk buffers; the default {@code maxBasis} = min(dim, 200, 1 GiB / (8 dim)) keeps
 * the basis under 1 GiB (32 vectors, 1 GiB, for 2^22 states; then about 1.2 GiB in all with
 * the 92 MB of states), so {@code -Xmx2g} suffices up to 2^22 states. Speed: rows that fit in
 * 256 MiB are stored once (a 2^14-state Ising chain converges in about 0.2 s); beyond, every
 * product calls the operator again (2^20 states, Ising ring N = 20 at h = 1: 112 products, 36 s
 * of CPU). Known limit: the restart keeps only the Ritz vector, so a small basis and a small gap
 * converge slowly (N = 22 at h = 1, 32 vectors: not done after 19 CPU minutes); a thick restart
 * (keeping several Ritz vectors) is not written.
 */
public final class ExactDiagonalization {
    /** Default enumeration limit of {@link #lanczos}: 2^22 states. */
    public static final long DEFAULT_LIMIT = 1L << 22;
    /** Largest space {@link #denseMatrix} builds. */
    public static final int DENSE_LIMIT = 4096;
    private static final long BASIS_BYTES = 1L << 30;
    private static final int CHUNK_ROWS = 256;
    private static final long STORED_BYTES = 256L << 20;

    private ExactDiagonalization() {
    }

    /** The result of {@link #lanczos}: the lowest eigenvalue, its Ritz residual, the products H x used. */
    public record GroundState(double energy, double residual, int matrixVectorProducts, int dim) {
    }

    /** The dense matrix {@code H[s, s']} over the states in {@link StateIndex} order (at most {@value #DENSE_LIMIT}). */
    public static double[][] denseMatrix(Operator operator) {
        OperatorChecks.requireNonNull("operator", operator, "an operator");
        StateIndex index = new StateIndex(operator.hilbert(), DENSE_LIMIT);
        int dim = index.dim();
        int n = operator.hilbert().size();
        double[][] h = new double[dim][dim];
        Connections c = new Connections(operator, 1);
        double[] row = new double[n];
        for (int s = 0; s < dim; s++) {
            index.configuration(s, row, 0);
            operator.connected(row, 0, 1, c);
            for (int k = 0; k < c.count(0); k++) {
                int t = index.indexOf(c.configurations(), k * n);
                if (t >= 0) {
                    h[s][t] += c.elements()[k];
                }
            }
        }
        return h;
    }

    /** All eigenvalues of a small symmetric matrix, ascending (EJML's symmetric QR). */
    public static double[] eigenvalues(double[][] symmetric) {
        int dim = symmetric.length;
        DMatrixRMaj m = new DMatrixRMaj(symmetric);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dim, false, true);
        if (!eig.decompose(m)) {
            throw new ArithmeticException("eigendecomposition of a " + dim + " x " + dim + " matrix did not converge");
        }
        double[] out = new double[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = eig.getEigenvalue(i).getReal();
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /** The ground-state energy by Lanczos with the defaults (limit 2^22 states, tolerance 1e-11, seed 1). */
    public static GroundState lanczos(Operator operator) {
        return lanczos(operator, DEFAULT_LIMIT, 1e-11, 1);
    }

    /**
     * The lowest eigenvalue of {@code operator} on its space (at most {@code limit} states) by
     * restarted Lanczos with full reorthogonalisation from a random start vector drawn from
     * {@code seed} (random, so that no symmetry sector of the ground state is missed).
     */
    public static GroundState lanczos(Operator operator, long limit, double tolerance, long seed) {
        OperatorChecks.requireNonNull("operator", operator, "an operator");
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance: expected > 0 but got " + tolerance);
        }
        StateIndex index = new StateIndex(operator.hilbert(), limit);
        int dim = index.dim();
        int maxBasis = (int) Math.max(2, Math.min(dim, Math.min(200, BASIS_BYTES / (8L * dim))));
        Product product = new Product(operator, index);
        double[][] basis = new double[maxBasis][];
        double[] w = new double[dim];
        double[] start = new double[dim];
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 0; s < dim; s++) {
            start[s] = random.nextDouble() - 0.5;
        }
        double[] alpha = new double[maxBasis];
        double[] beta = new double[maxBasis];
        int products = 0;
        double theta = Double.NaN;
        double residual = Double.POSITIVE_INFINITY;
        for (int restart = 0; restart < 1000; restart++) {
            scale(start, 1 / norm(start));
            basis[0] = basis[0] == null ? new double[dim] : basis[0];
            System.arraycopy(start, 0, basis[0], 0, dim);
            double[] ritz = null;
            int size = 0;
            for (int j = 0; j < maxBasis; j++) {
                product.apply(basis[j], w);
                products++;
                alpha[j] = dot(w, basis[j]);
                for (int pass = 0; pass < 2; pass++) {
                    for (int i = 0; i <= j; i++) {
                        axpy(-dot(w, basis[i]), basis[i], w);
                    }
                }
                beta[j] = norm(w);
                size = j + 1;
                {
                    ritz = lowestOfTridiagonal(alpha, beta, size);
                    theta = ritz[size];
                    residual = beta[j] * Math.abs(ritz[size - 1]);
                    if (residual <= tolerance * Math.max(1, Math.abs(theta)) || size == dim) {
                        return new GroundState(theta, residual, products, dim);
                    }
                }
                if (j + 1 < maxBasis) {
                    if (beta[j] == 0) { // an exact invariant subspace: the check above has run
                        return new GroundState(theta, residual, products, dim);
                    }
                    basis[j + 1] = basis[j + 1] == null ? new double[dim] : basis[j + 1];
                    double[] next = basis[j + 1];
                    double inv = 1 / beta[j];
                    for (int s = 0; s < dim; s++) {
                        next[s] = w[s] * inv;
                    }
                }
            }
            // restart from the Ritz vector
            java.util.Arrays.fill(start, 0);
            for (int i = 0; i < size; i++) {
                axpy(ritz[i], basis[i], start);
            }
        }
        throw new ArithmeticException("Lanczos did not converge for " + operator.describe() + ": residual " + residual
                + " at energy " + theta + " after " + products + " products");
    }

    /**
     * The lowest eigenpair of the symmetric tridiagonal matrix (diagonal alpha, off-diagonal
     * beta) of the given size: its normalised vector in [0, size), its value at [size]. The value
     * by Sturm-sequence bisection to the last bit, the vector by two steps of inverse iteration
     * with a pivoted tridiagonal LU (LAPACK's dgttrf/dgttrs scheme): O(size) each, so checking
     * convergence after every Lanczos step costs nothing beside the products.
     */
    static double[] lowestOfTridiagonal(double[] alpha, double[] beta, int size) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double scale = 0;
        for (int i = 0; i < size; i++) {
            double r = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i + 1 < size ? Math.abs(beta[i]) : 0);
            lo = Math.min(lo, alpha[i] - r);
            hi = Math.max(hi, alpha[i] + r);
            scale = Math.max(scale, Math.abs(alpha[i]) + r);
        }
        double tiny = Math.max(Double.MIN_NORMAL, 1e-300 * scale);
        // invariant: at least one eigenvalue < hi, none < lo
        for (int it = 0; it < 200 && hi - lo > 2 * Math.ulp(Math.max(Math.abs(lo), Math.abs(hi))); it++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            int below = 0;
            double d = 1;
            for (int i = 0; i < size; i++) {
                d = alpha[i] - mid - (i > 0 ? beta[i - 1] * beta[i - 1] / d : 0);
                if (d == 0) {
                    d = -tiny;
                }
                if (d < 0) {
                    below++;
                }
            }
            if (below >= 1) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double theta = 0.5 * (lo + hi);
        double[] x = new double[size + 1];
        java.util.Arrays.fill(x, 0, size, 1);
        double[] dl = new double[size];
        double[] d = new double[size];
        double[] du = new double[size];
        double[] du2 = new double[size];
        boolean[] swapped = new boolean[size];
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < size; i++) {
                d[i] = alpha[i] - theta;
                dl[i] = i + 1 < size ? beta[i] : 0;
                du[i] = i + 1 < size ? beta[i] : 0;
                du2[i] = 0;
                swapped[i] = false;
            }
            for (int i = 0; i + 1 < size; i++) {
                if (Math.abs(d[i]) >= Math.abs(dl[i])) {
                    double f = d[i] == 0 ? 0 : dl[i] / d[i];
                    dl[i] = f;
                    d[i + 1] -= f * du[i];
                } else {
                    double f = d[i] / dl[i];
                    d[i] = dl[i];
                    dl[i] = f;
                    double t = du[i];
                    du[i] = d[i + 1];
                    d[i + 1] = t - f * d[i + 1];
                    if (i + 2 < size) {
                        du2[i] = du[i + 1];
                        du[i + 1] = -f * du[i + 1];
                    }
                    swapped[i] = true;
                }
            }
            for (int i = 0; i < size; i++) {
                if (Math.abs(d[i]) < tiny) {
                    d[i] = d[i] < 0 ? -tiny : tiny;
                }
            }
            for (int i = 0; i + 1 < size; i++) {
                if (!swapped[i]) {
                    x[i + 1] -= dl[i] * x[i];
                } else {
                    double t = x[i];
                    x[i] = x[i + 1];
                    x[i + 1] = t - dl[i] * x[i];
                }
            }
            for (int i = size - 1; i >= 0; i--) {
                double v = x[i];
                if (i + 1 < size) {
                    v -= du[i] * x[i + 1];
                }
                if (i + 2 < size) {
                    v -= du2[i] * x[i + 2];
                }
                x[i] = v / d[i];
            }
            double norm = 0;
            double max = 0;
            for (int i = 0; i < size; i++) {
                max = Math.max(max, Math.abs(x[i]));
            }
            for (int i = 0; i < size; i++) {
                x[i] /= max;
                norm += x[i] * x[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < size; i++) {
                x[i] /= norm;
            }
        }
        x[size] = theta;
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void scale(double[] a, double f) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
    }

    private static void axpy(double f, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += f * x[i];
        }
    }

    /**
     * y = H x over a StateIndex. When the rows fit in {@value #STORED_BYTES} bytes as a padded
     * sparse table (ELLPACK: maxConnections columns and values per row, 12 bytes each) they are
     * built once and reused; otherwise every product calls {@link Operator#connected} again
     * (matrix-free). Either way each worker owns a contiguous range of rows and its buffers.
     */
    private static final class Product {
        private final Operator operator;
        private final StateIndex index;
        private final int workers;
        private final Connections[] connections;
        private final double[][] rows;
        private final int slots;
        /** Stored rows (null when matrix-free): columns (-1 past a row's count) and values. */
        private final int[] columns;
        private final double[] values;

        Product(Operator operator, StateIndex index) {
            this.operator = operator;
            this.index = index;
            int chunks = (index.dim() + CHUNK_ROWS - 1) / CHUNK_ROWS;
            this.workers = Math.max(1, Math.min(chunks, Runtime.getRuntime().availableProcessors()));
            this.connections = new Connections[workers];
            this.rows = new double[workers][];
            int chunk = Math.min(CHUNK_ROWS, index.dim());
            for (int t = 0; t < workers; t++) {
                connections[t] = new Connections(operator, chunk);
                rows[t] = new double[chunk * operator.hilbert().size()];
            }
            this.slots = operator.maxConnections();
            long entries = (long) index.dim() * slots;
            if (entries * 12 <= STORED_BYTES) {
                columns = new int[(int) entries];
                values = new double[(int) entries];
                parallel((worker, from, to) -> range(worker, from, to, null, null));
            } else {
                columns = null;
                values = null;
            }
        }

        private interface Range {
            void run(int worker, int from, int to);
        }

        private void parallel(Range task) {
            int dim = index.dim();
            if (workers == 1) {
                task.run(0, 0, dim);
                return;
            }
            Thread[] threads = new Thread[workers - 1];
            long per = (dim + workers - 1L) / workers;
            for (int t = 1; t < workers; t++) {
                int from = (int) Math.min(dim, t * per);
                int to = (int) Math.min(dim, (t + 1) * per);
                int worker = t;
                threads[t - 1] = Thread.ofPlatform().start(() -> task.run(worker, from, to));
            }
            task.run(0, 0, (int) Math.min(dim, per));
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted during a Lanczos product", e);
                }
            }
        }

        void apply(double[] x, double[] y) {
            if (columns == null) {
                parallel((worker, from, to) -> range(worker, from, to, x, y));
                return;
            }
            int dim = index.dim();
            for (int s = 0; s < dim; s++) {
                double sum = 0;
                int base = s * slots;
                for (int k = 0; k < slots; k++) {
                    int t = columns[base + k];
                    if (t < 0) {
                        break;
                    }
                    sum += values[base + k] * x[t];
                }
                y[s] = sum;
            }
        }

        /** Rows [from, to): y = H x when x is given, else their entries into the stored table. */
        private void range(int worker, int from, int to, double[] x, double[] y) {
            int n = operator.hilbert().size();
            Connections c = connections[worker];
            double[] buf = rows[worker];
            for (int first = from; first < to; first += CHUNK_ROWS) {
                int count = Math.min(CHUNK_ROWS, to - first);
                for (int r = 0; r < count; r++) {
                    index.configuration(first + r, buf, r * n);
                }
                operator.connected(buf, 0, count, c);
                double[] conf = c.configurations();
                double[] el = c.elements();
                for (int r = 0; r < count; r++) {
                    double sum = 0;
                    int stored = 0;
                    int base = (first + r) * slots;
                    for (int k = 0; k < c.count(r); k++) {
                        int t = index.indexOf(conf, (r * slots + k) * n);
                        if (t < 0) {
                            continue;
                        }
                        if (x != null) {
                            sum += el[r * slots + k] * x[t];
                        } else {
                            columns[base + stored] = t;
                            values[base + stored++] = el[r * slots + k];
                        }
                    }
                    if (x != null) {
                        y[first + r] = sum;
                    } else if (stored < slots) {
                        columns[base + stored] = -1;
                    }
                }
            }
        }
    }
}
