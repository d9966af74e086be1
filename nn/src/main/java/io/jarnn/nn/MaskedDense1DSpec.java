package io.jarnn.nn;

/**
 * NetKet's {@code MaskedDense1D}: {@code y[j] = sum_{i < j} x[i] . W[i, j] + bias[j]}
 * ({@code i <= j} when inclusive), with the (N*in, N*out) kernel viewed as N x N blocks of
 * (in, out) and a (N, out) bias. Only the block upper-triangular part is used.
 */
public record MaskedDense1DSpec(int sites, int in, int out, boolean exclusive, boolean useBias)
        implements LayerSpec {

    /** Arrays of used weights must fit a Java array (with room for kernel over-reads). */
    private static final long MAX_STORED = Integer.MAX_VALUE - 16;

    public MaskedDense1DSpec {
        requireDims(sites, in, out);
        if (usedEntries(sites, in, out, exclusive) > MAX_STORED) {
            throw new IllegalArgumentException("sites, in, out: a dense layer with N=" + sites + ", in=" + in
                    + ", out=" + out + " has more unmasked weights than a Java array can hold");
        }
    }

    static void requireDims(int sites, int in, int out) {
        if (sites < 1 || in < 1 || out < 1) {
            throw new IllegalArgumentException("sites, in, out: expected all >= 1 but got N=" + sites
                    + ", in=" + in + ", out=" + out);
        }
    }

    /** Kernel rows that reach output site j: those of the sites before it (and itself, inclusive). */
    int panelRows(int j) {
        return (exclusive ? j : j + 1) * in;
    }

    /** Whether kernel row {@code row} (site row / in) reaches column {@code col} (site col / out). */
    boolean isUsed(int row, int col) {
        int i = row / in;
        int j = col / out;
        return exclusive ? i < j : i <= j;
    }

    private static long usedEntries(int sites, int in, int out, boolean exclusive) {
        long blocks = (long) sites * (exclusive ? sites - 1 : sites + 1) / 2;
        return blocks * in * out;
    }

    @Override
    public String typeName() {
        return "MaskedDense1D";
    }

    @Override
    public int[] kernelShape() {
        return new int[]{sites * in, sites * out};
    }

    @Override
    public int[] biasShape() {
        return new int[]{sites, out};
    }

    @Override
    public long usedKernelEntries() {
        return usedEntries(sites, in, out, exclusive);
    }

    @Override
    public long multiplyAddsPerSample() {
        return usedKernelEntries();
    }

    /** LeCun normal with NetKet's dense fan-in: N*in, the whole kernel's rows (masked ones too). */
    @Override
    public int kernelFanIn() {
        return sites * in;
    }

    /**
     * NetKet's dense correction {@code sqrt(maskSize / maskCount)}, so that the used entries
     * carry the variance the mask would otherwise thin out. Masked entries are drawn too
     * (NetKet draws them, then masks), so the stream is consumed as NetKet's is; the layer
     * ignores them.
     */
    @Override
    public double kernelInitScale() {
        long maskCount = usedKernelEntries();
        double maskSize = (double) sites * in * sites * out;
        return maskCount == 0 ? 0 : Math.sqrt(maskSize / maskCount);
    }

    @Override
    public MaskedDense1DSpec onSites(int sites) {
        return new MaskedDense1DSpec(sites, in, out, exclusive, useBias);
    }
}
