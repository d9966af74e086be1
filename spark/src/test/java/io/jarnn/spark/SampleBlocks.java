package io.jarnn.spark;

import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Collected sample blocks put back together in row order, for comparison with a local call. */
record SampleBlocks(List<SampleBlock> blocks) {

    static SampleBlocks collect(List<SampleBlock> blocks) {
        long next = 0;
        for (SampleBlock b : blocks) {
            assertEquals(next, b.firstRow(), "blocks come in row order");
            next += b.rows();
        }
        return new SampleBlocks(blocks);
    }

    int count() {
        return blocks.size();
    }

    float[] configurations32(int n, int sites) {
        float[] all = new float[n * sites];
        for (SampleBlock b : blocks) {
            Tensor c = (Tensor) b.configurations();
            System.arraycopy(c.array(), c.offset(), all, (int) b.firstRow() * sites, b.rows() * sites);
        }
        return all;
    }

    float[] logProbabilities32(int n) {
        float[] all = new float[n];
        for (SampleBlock b : blocks) {
            Tensor c = (Tensor) b.logProbabilities();
            System.arraycopy(c.array(), c.offset(), all, (int) b.firstRow(), b.rows());
        }
        return all;
    }

    double[] configurations64(int n, int sites) {
        double[] all = new double[n * sites];
        for (SampleBlock b : blocks) {
            Tensor64 c = (Tensor64) b.configurations();
            System.arraycopy(c.array(), c.offset(), all, (int) b.firstRow() * sites, b.rows() * sites);
        }
        return all;
    }

    double[] logProbabilities64(int n) {
        double[] all = new double[n];
        for (SampleBlock b : blocks) {
            Tensor64 c = (Tensor64) b.logProbabilities();
            System.arraycopy(c.array(), c.offset(), all, (int) b.firstRow(), b.rows());
        }
        return all;
    }
}
