package io.jarnn.core.npy;

/**
 * Bounds on what a hostile or corrupt file can make a reader allocate or inflate. Besides these,
 * a {@code .npy} header may be at most 1 MiB and a text entry of an archive at most
 * {@value NpzArchive#MAX_TEXT_BYTES} bytes.
 *
 * @param maxElements   most elements one array may declare (its shape's product), at most
 *                      {@link #MAX_TENSOR_ELEMENTS}; checked before anything is allocated
 * @param maxEntries    most zip entries an {@code .npz} archive may hold (directories included)
 * @param maxTotalBytes most bytes an {@code .npz} archive may expand to, summed over all entries;
 *                      counted on the bytes actually inflated, not on the sizes the archive
 *                      declares (which a zip bomb understates). These are the stored bytes: 8 per
 *                      {@code '<f8'} element, which is also what it takes as the float64 array it
 *                      is read into
 *
 * <p>An {@link ArrayAdmission} that wants a memory budget of its own learns each array's
 * precision, and so its bytes per element, before the data is read.
 */
public record ReadLimits(long maxElements, int maxEntries, long maxTotalBytes) {
    /** The largest {@code float[]} a {@link io.jarnn.core.Tensor} accepts. */
    public static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 16;
    /** 2^28 elements: 1 GiB as float32, 2 GiB as float64. */
    public static final long DEFAULT_MAX_ELEMENTS = 1L << 28;
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** 2 GiB. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 2L << 30;

    public static final ReadLimits DEFAULT =
            new ReadLimits(DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_BYTES);

    public ReadLimits {
        if (maxElements < 1 || maxElements > MAX_TENSOR_ELEMENTS) {
            throw new IllegalArgumentException("maxElements: expected 1.." + MAX_TENSOR_ELEMENTS
                    + " but got " + maxElements);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: expected >= 1 but got " + maxEntries);
        }
        if (maxTotalBytes < 1) {
            throw new IllegalArgumentException("maxTotalBytes: expected >= 1 but got " + maxTotalBytes);
        }
    }

    public ReadLimits withMaxElements(long value) {
        return new ReadLimits(value, maxEntries, maxTotalBytes);
    }

    public ReadLimits withMaxEntries(int value) {
        return new ReadLimits(maxElements, value, maxTotalBytes);
    }

    public ReadLimits withMaxTotalBytes(long value) {
        return new ReadLimits(maxElements, maxEntries, value);
    }
}
