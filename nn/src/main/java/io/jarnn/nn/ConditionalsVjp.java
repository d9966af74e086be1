package io.jarnn.nn;

import io.jarnn.core.Tensor;

import java.util.List;
import java.util.Map;

/**
 * The vector-Jacobian product of {@link ARNN#conditionalsLogPsi(Tensor)} with a cotangent c
 * (batch, N, localSize): the gradients of {@code sum_{b,i,k} c[b,i,k] logPsi[b,i,k]}.
 *
 * @param parameters       with respect to the parameters, as a flat vector in the model's
 *                         storage order (see {@link ParameterLayout})
 * @param netKetParameters the same in NetKet's names and shapes, masked kernel entries exactly 0
 * @param layerOutputs     with respect to each layer's output (before the selu that follows it),
 *                         (batch, N, out) for layer 0, 1, ...: the gradients flax's
 *                         {@code perturb} collects
 */
public record ConditionalsVjp(float[] parameters, Map<String, Tensor> netKetParameters, List<Tensor> layerOutputs) {
}
