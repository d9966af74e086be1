package io.jarnn.core.npy;

import java.io.IOException;
import java.io.InputStream;

/** Charges every byte read from {@code in} to a {@link ByteBudget}. */
final class BudgetedInputStream extends InputStream {
    private final InputStream in;
    private final ByteBudget budget;
    private final String source;

    BudgetedInputStream(InputStream in, ByteBudget budget, String source) {
        this.in = in;
        this.budget = budget;
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            budget.charge(1, source);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            budget.charge(n, source);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
