package io.jarnn.benchmarks;

import io.jarnn.core.Tensor;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Full conditionals of a batch on {@code withThreads(threads)}: the model splits the batch into
 * fixed chunks over the calling thread and the common fork-join pool. The report gives each
 * {@code threads > 1} row its speed-up over the {@code threads = 1} row of the same model and
 * its fraction of the all-cores peak. {@code -p threads=1,4} measures other counts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class ThreadScaling {
    @Param({"dense-N256-f16", "conv1d-N1024-f16-k3-d1"})
    public String model;
    @Param({"1024"})
    public int batch;
    @Param({"1", "2"})
    public int threads;

    private ModelFixture fixture;

    public static long usefulFlopsPerOp(Map<String, String> params) {
        return 2L * Integer.parseInt(params.get("batch")) * ModelSpec.parse(params.get("model")).multiplyAddsPerSample();
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        var arnn = ModelSpec.parse(model).build(13).withThreads(threads);
        System.out.println("# model threads: " + arnn.threads() + ", chunk rows: " + arnn.chunkRows()
                + ", available processors: " + Runtime.getRuntime().availableProcessors());
        fixture = new ModelFixture(params.getBenchmark(), arnn, batch, usefulFlopsPerOp(SelfChecks.params(params)));
    }

    @Benchmark
    public Tensor jarnn() {
        fixture.forward();
        return fixture.out;
    }
}
