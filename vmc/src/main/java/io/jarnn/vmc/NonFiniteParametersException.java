package io.jarnn.vmc;

/**
 * The run stopped because a step would have made a parameter (or the energy) non-finite. The
 * model and every checkpoint stay as they were after the last good step.
 */
public final class NonFiniteParametersException extends ArithmeticException {
    private final long step;

    public NonFiniteParametersException(long step, String message) {
        super(message);
        this.step = step;
    }

    /** The step (updates done before it) that failed. */
    public long step() {
        return step;
    }
}
