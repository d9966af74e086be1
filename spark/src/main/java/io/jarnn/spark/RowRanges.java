package io.jarnn.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * How {@code n} sample rows are cut into {@code parts} contiguous ranges of whole sampler
 * chunks, one Spark partition (one task) each. Part k holds sampler chunks
 * {@code [k C / parts, (k + 1) C / parts)} of the C = ceil(n / chunkSize) chunks, so every range
 * starts on a chunk boundary and only the last range can end on a partial chunk: exactly where
 * the single-machine sampler has its partial chunk. A range is then sampled with
 * {@code sampler.sample(seed, firstRow, ...)}, which gives the rows one {@code sample(n, seed)}
 * call gives, whatever the number of parts.
 */
public record RowRanges(long rows, int chunkSize, int parts) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RowRanges {
        if (rows < 1) {
            throw new IllegalArgumentException("samples: expected >= 1 but got " + rows);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize: expected >= 1 but got " + chunkSize);
        }
        if (parts < 1) {
            throw new IllegalArgumentException("partitions: expected >= 1 but got " + parts);
        }
    }

    /** Ranges of about {@code rows / parts} rows, at most one per sampler chunk. */
    public static RowRanges of(long rows, int chunkSize, int parts) {
        if (rows < 1) {
            throw new IllegalArgumentException("samples: expected >= 1 but got " + rows);
        }
        long chunks = (rows + Math.max(chunkSize, 1) - 1) / Math.max(chunkSize, 1);
        return new RowRanges(rows, chunkSize, (int) Math.max(1, Math.min(parts, chunks)));
    }

    /** Sampler chunks in all. */
    public long chunks() {
        return (rows + chunkSize - 1) / chunkSize;
    }

    /** First row of part {@code k}. */
    public long firstRow(int k) {
        return Math.min(rows, firstChunk(k) * chunkSize);
    }

    /** Rows of part {@code k} (0 only when there are more parts than chunks, which {@link #of} avoids). */
    public int rowCount(int k) {
        return Math.toIntExact(firstRow(k + 1) - firstRow(k));
    }

    private long firstChunk(int k) {
        if (k < 0 || k > parts) {
            throw new IndexOutOfBoundsException("part: expected 0.." + parts + " but got " + k);
        }
        long c = chunks();
        // floor(c k / parts) without overflow: c = q parts + r, and r k < parts^2 fits a long.
        return c / parts * k + c % parts * k / parts;
    }
}
