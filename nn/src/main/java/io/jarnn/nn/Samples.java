package io.jarnn.nn;

import io.jarnn.core.Tensor;

/**
 * Exact samples from an ARNN: {@code configurations} (n, N) of local state values and, when
 * requested, {@code logProbabilities} (n,) with {@code log p(sigma) = machinePow * logPsi(sigma)}
 * accumulated from the chosen conditionals (otherwise null).
 */
public record Samples(Tensor configurations, Tensor logProbabilities) {
}
