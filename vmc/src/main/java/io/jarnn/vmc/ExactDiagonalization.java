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
 * <p>Thick-restart Lanczos (Wu and Simon) with full reorthogonalisation (classical
 * Gram-Schmidt, twice, against every basis vector, whose coefficients are the projection
 * {@code T = V^T H V}): at most {@code maxBasis} vectors of {@code dim} doubles are kept; when they
 * are used up, the lowest half of the Ritz vectors and the residual direction are kept and the
 * Krylov space grows again from them, so a small gap converges with bounded memory. Stopping
 * rule: the Ritz residual {@code ||H u - theta u|| = beta |y_last|} at most
 * {@code tolerance * max(1, |theta|)} (default 1e-11, so the energy, whose error is at most the
 * residual and usually its square over the gap, is converged to far better than 1e-10 relative).
 * Memory: {@code maxBasis + 1} vectors of {@code 8 dim} bytes, plus {@code N dim} bytes for the
 * states and the chunk buffers; the default {@code maxBasis} = min(dim, 200, 1 GiB / (8 dim)) keeps
 * the basis under 1 GiB (32 vectors, 1 GiB, for 2^22 states; then about 1.2 GiB in all with
 * the 92 MB of states), so {@code -Xmx2g} suffices up to 2^22 states. Speed: rows that fit in
 * 256 MiB are stored once; beyond, every product calls the operator again.
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
     * thick-restart Lanczos with full reorthogonalisation from a random start vector drawn from
     * {@code seed} (random, so that no symmetry sector of the ground state is missed), with the
     * default basis size (see the class comment).
     */
    public static GroundState lanczos(Operator operator, long limit, double tolerance, long seed) {
        return lanczos(operator, limit, tolerance, seed, 0);
    }

    /**
     * As {@link #lanczos(Operator, long, double, long)} with at most {@code maxBasis} Krylov
     * vectors kept (at least 3; 0 for the default, min(dim, 200, 1 GiB / (8 dim))). A small basis
     * restarts more often and needs more products, never more memory.
     */
    public static GroundState lanczos(Operator operator, long limit, double tolerance, long seed, int maxBasis) {
        OperatorChecks.requireNonNull("operator", operator, "an operator");
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance: expected > 0 but got " + tolerance);
        }
        if (maxBasis != 0 && maxBasis < 3) {
            throw new IllegalArgumentException("maxBasis: expected >= 3 (or 0: the default) but got " + maxBasis);
        }
        StateIndex index = new StateIndex(operator.hilbert(), limit);
        int dim = index.dim();
        int m = (int) Math.min(dim, maxBasis > 0 ? maxBasis : Math.max(3, Math.min(200, BASIS_BYTES / (8L * dim))));
        Product product = new Product(operator, index);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] basis = new double[m][];
        basis[0] = new double[dim];
        for (int s = 0; s < dim; s++) {
            basis[0][s] = random.nextDouble() - 0.5;
        }
        scale(basis[0], 1 / norm(basis[0]));
        if (dim == 1) {
            double[] w = new double[1];
            product.apply(basis[0], w);
            return new GroundState(w[0], 0, 1, 1);
        }
        double[] w = new double[dim];
        // t: the projection V^T H V of the basis, row-major m x m; after a restart its leading
        // block is diagonal (the kept Ritz values) and its next row and column the couplings.
        double[] t = new double[m * m];
        double[] h = new double[m];
        int size = 1; // vectors in the basis
        int products = 0;
        double theta = Double.NaN;
        double residual = Double.POSITIVE_INFINITY;
        for (int iteration = 0; iteration < 100_000; iteration++) {
            int j = size - 1;
            product.apply(basis[j], w);
            products++;
            // Classical Gram-Schmidt, twice, against the whole basis: the coefficients are
            // column j of the projection.
            java.util.Arrays.fill(h, 0, size, 0);
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < size; i++) {
                    double c = dot(w, basis[i]);
                    h[i] += c;
                    axpy(-c, basis[i], w);
                }
            }
            for (int i = 0; i < size; i++) {
                t[i * m + j] = h[i];
                t[j * m + i] = h[i];
            }
            double beta = norm(w);
            RitzPairs ritz = RitzPairs.of(t, m, size);
            theta = ritz.values[0];
            // H V = V T + w e_j^T, so the lowest Ritz pair's residual is beta |y[j]|.
            residual = beta * Math.abs(ritz.vector(0)[j]);
            if (residual <= tolerance * Math.max(1, Math.abs(theta)) || size == dim || beta == 0) {
                return new GroundState(theta, residual, products, dim);
            }
            if (size < m) {
                basis[size] = basis[size] == null ? new double[dim] : basis[size];
                double inv = 1 / beta;
                double[] next = basis[size];
                for (int s = 0; s < dim; s++) {
                    next[s] = w[s] * inv;
                }
                size++;
                continue;
            }
            // Thick restart: keep the k lowest Ritz vectors V y_i and the residual direction w / beta.
            int keep = Math.max(1, Math.min(m - 2, m / 2));
            ritz.combine(basis, keep, dim);
            java.util.Arrays.fill(t, 0);
            for (int i = 0; i < keep; i++) {
                t[i * m + i] = ritz.values[i];
                double coupling = beta * ritz.vector(i)[j];
                t[i * m + keep] = coupling;
                t[keep * m + i] = coupling;
            }
            double inv = 1 / beta;
            double[] next = basis[keep];
            for (int s = 0; s < dim; s++) {
                next[s] = w[s] * inv;
            }
            size = keep + 1;
            // The couplings above are recomputed by the next Gram-Schmidt (column keep).
        }
        throw new ArithmeticException("Lanczos did not converge for " + operator.describe() + ": residual " + residual
                + " at energy " + theta + " after " + products + " products");
    }

    /** The eigenpairs of the leading size x size block of a symmetric m x m matrix, ascending. */
    private record RitzPairs(double[] values, double[][] vectors) {
        static RitzPairs of(double[] t, int m, int size) {
            DMatrixRMaj a = new DMatrixRMaj(size, size);
            for (int i = 0; i < size; i++) {
                for (int k = 0; k < size; k++) {
                    a.set(i, k, t[i * m + k]);
                }
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(size, true, true);
            if (!eig.decompose(a)) {
                throw new ArithmeticException("eigendecomposition of the " + size + " x " + size
                        + " Lanczos projection did not converge");
            }
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> eig.getEigenvalue(i).getReal()));
            double[] values = new double[size];
            double[][] vectors = new double[size][];
            for (int r = 0; r < size; r++) {
                values[r] = eig.getEigenvalue(order[r]).getReal();
                DMatrixRMaj v = eig.getEigenVector(order[r]);
                vectors[r] = java.util.Arrays.copyOf(v.data, size);
            }
            return new RitzPairs(values, vectors);
        }

        double[] vector(int r) {
            return vectors[r];
        }

        /** basis[i] = sum_l basis[l] y_i[l] for i &lt; keep, in place, one state (row) at a time. */
        void combine(double[][] basis, int keep, int dim) {
            int size = vectors[0].length;
            double[] row = new double[size];
            double[] out = new double[keep];
            for (int s = 0; s < dim; s++) {
                for (int l = 0; l < size; l++) {
                    row[l] = basis[l][s];
                }
                for (int i = 0; i < keep; i++) {
                    double[] y = vectors[i];
                    double acc = 0;
                    for (int l = 0; l < size; l++) {
                        acc += row[l] * y[l];
                    }
                    out[i] = acc;
                }
                for (int i = 0; i < keep; i++) {
                    basis[i][s] = out[i];
                }
            }
        }
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
