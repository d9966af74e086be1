package io.jarnn.vmc;

import java.nio.file.Path;

/**
 * Callbacks from {@link VmcDriver#run}, on the driver's thread: after every step (a progress
 * line, a CSV row) and after every checkpoint written. Exceptions thrown here stop the run.
 */
public interface VmcListener {

    void onStep(StepRecord record);

    /** A checkpoint of the model after {@code step} updates was written to {@code model} (state beside it). */
    default void onCheckpoint(long step, Path model) {
    }
}
