package io.jarnn.benchmarks;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;
import io.jarnn.core.Tensor;
import io.jarnn.core.Tensor64;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNN64;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.GradientWorkspace;
import io.jarnn.nn.GradientWorkspace64;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.LocalEnergies;
import io.jarnn.vmc.Sgd;
import io.jarnn.vmc.StepRecord;
import io.jarnn.vmc.StochasticReconfiguration;
import io.jarnn.vmc.TransverseFieldIsing;
import io.jarnn.vmc.TransverseFieldIsingExact;
import io.jarnn.vmc.VmcDriver;

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
 * One stochastic-reconfiguration step of the VMC demo, split into its parts: ARNNConv1D (3
 * layers, 16 features, kernel 3, 930 parameters, float64 as the demo's model or float32: {@code dtype}) on the open transverse-field Ising
 * chain N = 20 (J = h = 1), 1024 exact samples. {@code sampling} draws the samples,
 * {@code localEnergies} evaluates E_loc (LocalEnergies: the 21 connected configurations of each
 * sample, by {@code evaluation}: CHANGED_SITES, the default, or FULL_FORWARD, the reference),
 * {@code jacobian} the (1024, 930) logPsi Jacobian, {@code solve} the SR system
 * (S + 0.01 I) delta = F in the form {@code form} (AUTO takes DENSE here, at CG tolerance 1e-10
 * as at 1e-5; the time includes copying the Jacobian, which the solve centres in place, about
 * 1 M doubles), and {@code step} the whole driver step (SGD lr 0.05) including the parameter
 * update (local energies by CHANGED_SITES). Run once: {@code -f 1 -wi 1 -i 1 VmcStep}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_MODULE, ForkFlags.HEAP_MIN, ForkFlags.HEAP_MAX, ForkFlags.PRE_TOUCH})
@State(Scope.Benchmark)
public class VmcStep {
    @Param({"20"})
    public int sites;
    @Param({"1024"})
    public int samples;
    @Param({"AUTO"})
    public String form;
    /** Threads of the model and of the SR solve (the goal is for one). */
    @Param({"1"})
    public int threads;
    /** The model's precision: float64 (the demo's) or float32. */
    @Param({"float64"})
    public String dtype;
    /** How {@code localEnergies} evaluates the connected configurations (LocalEnergies.Evaluation). */
    @Param({"CHANGED_SITES"})
    public String evaluation;
    /** CG's relative residual (the solve's and the step's SR; AUTO takes CG when it is cheaper at it). */
    @Param({"1e-10"})
    public double cgTolerance;

    private AutoregressiveModel model;
    private TransverseFieldIsing hamiltonian;
    private NdArray configurations;
    private double[] configurationsDouble;
    private LocalEnergies localEnergies;
    private double[] eLoc;
    private NdArray jacobian;
    private GradientWorkspace workspace;
    private GradientWorkspace64 workspace64;
    private double[] jacobianDouble;
    private double[] scratch;
    private double[] delta;
    private StochasticReconfiguration sr;
    private VmcDriver driver;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        HilbertSpace hilbert = HilbertSpace.spin(0.5, sites);
        ARNN single = ARNNConv1D.builder(hilbert).layers(3).features(16).kernelSize(3).build(42).withThreads(threads);
        SelfChecks.requireVectorKernels(single.kernels(), params.getBenchmark());
        switch (DType.valueOf(dtype.toUpperCase(java.util.Locale.ROOT))) {
            case FLOAT32 -> {
                model = single;
                configurations = Tensor.zeros(samples, sites);
                jacobian = Tensor.zeros(samples, single.parameterCount());
                workspace = single.newGradientWorkspace();
            }
            case FLOAT64 -> {
                ARNN64 m = single.toDoublePrecision().withThreads(threads);
                model = m;
                configurations = Tensor64.zeros(samples, sites);
                jacobian = Tensor64.zeros(samples, m.parameterCount());
                workspace64 = m.newGradientWorkspace();
            }
        }
        hamiltonian = new TransverseFieldIsing(hilbert, Lattice.chain(sites, false), 1, 1);
        configurationsDouble = new double[samples * sites];
        localEnergies = new LocalEnergies(hamiltonian, model, samples, LocalEnergies.Evaluation.valueOf(evaluation));
        eLoc = new double[samples];
        jacobianDouble = new double[samples * model.parameterCount()];
        scratch = new double[jacobianDouble.length];
        delta = new double[model.parameterCount()];
        sr = newSr();
        driver = VmcDriver.builder(model, hamiltonian).samples(samples).seed(7).optimizer(new Sgd(0.05))
                .sr(newSr()).build();
        // One pass through every part, with its self-checks: the inputs of the later parts.
        sampling();
        for (int i = 0; i < configurationsDouble.length; i++) {
            configurationsDouble[i] = configurations.getDouble(i);
        }
        localEnergies();
        double mean = 0;
        for (double e : eLoc) {
            SelfChecks.requireWithin(params.getBenchmark() + ": local energy", "finite", 0, Double.isFinite(e) ? 0 : 1, 0);
            mean += e / samples;
        }
        // A variational energy lies above E0 (free fermions) and below ||H|| <= (N - 1) J + N h.
        double e0 = TransverseFieldIsingExact.groundStateEnergy(sites, false, 1, 1);
        double top = 2 * sites - 1;
        SelfChecks.requireWithin(params.getBenchmark() + ": mean local energy within [E0 - 1, ||H||]", "mean",
                (e0 - 1 + top) / 2, mean, (top - e0 + 1) / 2);
        jacobian();
        for (int i = 0; i < jacobianDouble.length; i++) {
            jacobianDouble[i] = jacobian.getDouble(i);
        }
        solve();
        StepRecord r = step();
        SelfChecks.requireWithin(params.getBenchmark() + ": driver step energy", "step 0", (e0 - 1 + top) / 2, r.energy(),
                (top - e0 + 1) / 2);
    }

    private StochasticReconfiguration newSr() {
        return new StochasticReconfiguration(0.01, StochasticReconfiguration.Form.valueOf(form), cgTolerance, 0, threads);
    }

    @Benchmark
    public NdArray sampling() {
        switch (model) {
            case ARNN m -> m.sampler().sample(11, 0, (Tensor) configurations, null);
            case ARNN64 m -> m.sampler().sample(11, 0, (Tensor64) configurations, null);
        }
        return configurations;
    }

    @Benchmark
    public double[] localEnergies() {
        localEnergies.compute(configurationsDouble, 0, samples, eLoc, 0, null, 0);
        return eLoc;
    }

    @Benchmark
    public NdArray jacobian() {
        switch (model) {
            case ARNN m -> m.logPsiJacobian((Tensor) configurations, (Tensor) jacobian, workspace);
            case ARNN64 m -> m.logPsiJacobian((Tensor64) configurations, (Tensor64) jacobian, workspace64);
        }
        return jacobian;
    }

    @Benchmark
    public double[] solve() {
        System.arraycopy(jacobianDouble, 0, scratch, 0, scratch.length);
        sr.solve(scratch, samples, model.parameterCount(), eLoc, delta);
        return delta;
    }

    @Benchmark
    public StepRecord step() {
        return driver.runStep();
    }
}
