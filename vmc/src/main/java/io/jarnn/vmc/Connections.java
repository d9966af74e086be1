package io.jarnn.vmc;

import io.jarnn.core.HilbertSpace;

/**
 * Caller-owned output of {@link Operator#connected}: for row b of a batch, {@link #count(int)}
 * connected configurations, the k-th one at {@code configurations()[(b * maxConnections + k) * N ..]}
 * with matrix element {@code elements()[b * maxConnections + k]}; k = 0 is the diagonal. Sized
 * once for a batch and an operator and reused across calls (one per thread).
 */
public final class Connections {
    private final int sites;
    private final int capacityRows;
    private final int maxConnections;
    private final double[] configurations;
    private final double[] elements;
    private final int[] counts;
    private int rows;

    /** Room for {@code capacityRows} rows of {@code operator}'s connections. */
    public Connections(Operator operator, int capacityRows) {
        if (capacityRows < 1) {
            throw new IllegalArgumentException("capacityRows: expected >= 1 but got " + capacityRows);
        }
        this.sites = operator.hilbert().size();
        this.capacityRows = capacityRows;
        this.maxConnections = operator.maxConnections();
        this.configurations = new double[Math.multiplyExact(Math.multiplyExact(capacityRows, maxConnections), sites)];
        this.elements = new double[Math.multiplyExact(capacityRows, maxConnections)];
        this.counts = new int[capacityRows];
    }

    /** Throws unless this buffer fits {@code rows} rows of {@code operator} (for implementations). */
    public void requireFits(Operator operator, int rows) {
        HilbertSpace h = operator.hilbert();
        if (rows < 0 || rows > capacityRows || operator.maxConnections() > maxConnections || h.size() != sites) {
            throw new IllegalArgumentException("out: expected Connections for " + rows + " rows of " + h.size()
                    + " sites with " + operator.maxConnections() + " connections per row but got one for "
                    + capacityRows + " rows of " + sites + " sites with " + maxConnections);
        }
        this.rows = rows;
    }

    public int sites() {
        return sites;
    }

    /** Rows written by the last {@link Operator#connected} call. */
    public int rows() {
        return rows;
    }

    public int capacityRows() {
        return capacityRows;
    }

    /** Slots reserved per row. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Connected configurations, (capacityRows * maxConnections, N) row-major; shared, not a copy. */
    public double[] configurations() {
        return configurations;
    }

    /** Matrix elements, (capacityRows * maxConnections); shared, not a copy. */
    public double[] elements() {
        return elements;
    }

    /** Number of connected configurations of row b, the diagonal included. */
    public int count(int b) {
        return counts[b];
    }

    /** For implementations: sets the number of connected configurations of row b. */
    public void setCount(int b, int count) {
        if (count < 1 || count > maxConnections) {
            throw new IllegalStateException("count: expected 1.." + maxConnections + " but got " + count);
        }
        counts[b] = count;
    }
}
