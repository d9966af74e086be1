package io.jarnn.nn;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.core.NdArray;

import java.util.Map;

/**
 * An ARNN of either precision: {@link ARNN} computes in float32, {@link ARNN64} (generated from
 * it) in float64, each with the same NetKet semantics. The precision is chosen per model by its
 * configuration's {@link ARNNConfig#dtype()}; {@link #initialise} and {@link #fromParameters}
 * build the right class for it. This interface holds what code that only moves models and
 * arrays around needs (files, the command line); code that computes in a loop takes the
 * concrete class, whose methods take and return that precision's tensors and allocate nothing.
 *
 * <p>Arrays here are {@link NdArray}s: configurations may come in either precision (local values
 * are float32 numbers, so they convert exactly; a float64 value that is not one is refused),
 * results are in the model's precision. Immutable and thread-safe, as both classes are.
 */
public sealed interface AutoregressiveModel permits ARNN, ARNN64 {

    /** A model of {@code config}, in its dtype, with parameters initialised from {@code seed}. */
    static AutoregressiveModel initialise(ARNNConfig config, long seed) {
        requireConfig(config);
        return switch (config.dtype()) {
            case FLOAT32 -> ARNN.initialise(config, seed);
            case FLOAT64 -> ARNN64.initialise(config, seed);
        };
    }

    /**
     * A model of {@code config}, in its dtype, with these parameters (NetKet's names and shapes,
     * as {@link ARNN#fromParameters}); arrays of the other precision are converted to the
     * configuration's, exactly when widening and rounding to nearest when narrowing.
     */
    static AutoregressiveModel fromParameters(ARNNConfig config, Map<String, ? extends NdArray> parameters) {
        requireConfig(config);
        ParameterKeys.requireExactly(parameters, config);
        return switch (config.dtype()) {
            case FLOAT32 -> ARNN.fromParameters(config, ModelConversion.toSinglePrecision(parameters));
            case FLOAT64 -> ARNN64.fromParameters(config, ModelConversion.toDoublePrecision(parameters));
        };
    }

    private static void requireConfig(ARNNConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
    }

    ARNNConfig config();

    /** The precision of the parameters and arithmetic: {@code config().dtype()}. */
    default DType dtype() {
        return config().dtype();
    }

    default HilbertSpace hilbert() {
        return config().hilbert();
    }

    /** Threads a full forward may use. */
    int threads();

    /** The same model forwarding on up to {@code threads} threads. */
    AutoregressiveModel withThreads(int threads);

    /** The parameters in NetKet's names and shapes, in the model's precision (fresh copies). */
    Map<String, ? extends NdArray> parameters();

    /** Length of the flat parameter vector: the effective (unmasked) parameters. */
    int parameterCount();

    /** Where each parameter sits in the flat vector and in NetKet's (flax's) layout. */
    ParameterLayout parameterLayout();

    /**
     * The gradient of {@code sum_b weights[b] logPsi(inputs[b])}, in NetKet's names and shapes
     * (masked kernel entries 0), in the model's precision; inputs (batch, N) and weights (batch,)
     * of either precision.
     */
    Map<String, ? extends NdArray> logPsiGradient(NdArray inputs, NdArray weights);

    /**
     * The per-sample Jacobian of logPsi, (batch, {@link #parameterCount()}), over the flat
     * parameters ({@link ParameterLayout#flaxIndex} maps each column to flax's order).
     */
    NdArray logPsiJacobian(NdArray inputs);

    /** Multiply-adds one full forward of one sample needs (masked work excluded). */
    default long multiplyAddsPerSample() {
        return config().multiplyAddsPerSample();
    }

    /** A flax-style table of the layers for inputs of {@code batch} configurations. */
    ModelSummary summary(int batch);

    /** logPsi conditionals, (batch, N, localSize), of (batch, N) local values. */
    NdArray conditionalsLogPsi(NdArray inputs);

    /** Conditional probabilities, (batch, N, localSize). */
    NdArray conditionals(NdArray inputs);

    /** logPsi of each configuration, (batch,). */
    NdArray logPsi(NdArray inputs);

    /** An exact sampler of this model ({@link DirectSampler} or {@link DirectSampler64}), on its threads. */
    ExactSampler sampler();

    /** This model in float32: itself, or a copy with every parameter rounded to nearest float. */
    default ARNN toSinglePrecision() {
        return switch (this) {
            case ARNN model -> model;
            case ARNN64 model -> ModelConversion.narrow(model);
        };
    }

    /** This model in float64: itself, or a copy with every parameter widened (exactly). */
    default ARNN64 toDoublePrecision() {
        return switch (this) {
            case ARNN model -> ModelConversion.widen(model);
            case ARNN64 model -> model;
        };
    }

    /** This model in {@code dtype}: {@link #toSinglePrecision()} or {@link #toDoublePrecision()}. */
    default AutoregressiveModel to(DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("dtype: expected float32 or float64 but got null");
        }
        return dtype == DType.FLOAT32 ? toSinglePrecision() : toDoublePrecision();
    }
}
