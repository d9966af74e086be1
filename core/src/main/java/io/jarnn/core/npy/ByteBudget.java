package io.jarnn.core.npy;

/**
 * The bytes an archive may still expand to ({@link ReadLimits#maxTotalBytes()}), shared by all
 * its entries and charged with the bytes actually produced, so that an entry which declares a
 * small size and inflates to a huge one is stopped after at most one read past the limit.
 */
final class ByteBudget {
    private final long limit;
    private long used;

    ByteBudget(long limit) {
        this.limit = limit;
    }

    long remaining() {
        return limit - used;
    }

    /** Rejects an entry that declares more bytes than remain, before inflating anything. */
    void requireDeclared(long declared, String source) throws NpyFormatException {
        if (declared > remaining()) {
            throw new NpyFormatException(source, "entry declares " + declared + " bytes, but the archive may "
                    + "expand to at most " + limit + " bytes in total (ReadLimits.maxTotalBytes) and only "
                    + remaining() + " remain");
        }
    }

    void charge(long bytes, String source) throws NpyFormatException {
        used += bytes;
        if (used > limit) {
            throw new NpyFormatException(source, "expected the archive to expand to at most " + limit
                    + " bytes in total (ReadLimits.maxTotalBytes) but it expands to more; refusing to read further");
        }
    }
}
