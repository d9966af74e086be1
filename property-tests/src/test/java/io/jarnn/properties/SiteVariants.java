package io.jarnn.properties;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;

/**
 * A batch in which site j of each base configuration takes every local value in turn:
 * row {@code b * localSize + k} is base row b with site j set to local value k. Evaluating all
 * variants in one forward call compares them under the same compiled code (see
 * {@link AutoregressiveProperties} on why that matters for bitwise comparisons).
 */
final class SiteVariants {
    private SiteVariants() {
    }

    static Tensor atSite(Tensor base, int site, HilbertSpace h) {
        int batch = base.dim(0);
        int n = h.size();
        int ls = h.localSize();
        float[] values = Build.localValues(h);
        Tensor out = Tensor.zeros(batch * ls, n);
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < ls; k++) {
                int row = b * ls + k;
                System.arraycopy(base.array(), base.offset() + b * n, out.array(), row * n, n);
                out.array()[row * n + site] = values[k];
            }
        }
        return out;
    }
}
