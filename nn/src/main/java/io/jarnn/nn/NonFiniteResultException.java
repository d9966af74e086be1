package io.jarnn.nn;

/**
 * A model produced a probability, log-probability or logPsi that is not finite (NaN or
 * infinite) from finite inputs and parameters: typically weights so large that activations
 * overflow float32. The message names the sample and site, and the first layer whose output
 * stopped being finite (or the normalisation, when every layer's output was finite). Thrown
 * instead of returning the value, so that no caller mistakes NaN for a result.
 */
public final class NonFiniteResultException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    NonFiniteResultException(String message) {
        super(message);
    }
}
