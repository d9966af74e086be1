package io.jarnn.cli;

import io.jarnn.core.DType;
import picocli.CommandLine.Option;

/**
 * {@code --dtype}, shared by the commands that load a model: they compute in the model file's
 * precision unless this converts it.
 */
final class DTypeOption {
    @Option(names = "--dtype", paramLabel = "float32|float64", converter = Converters.Precision.class,
            description = {"compute in this precision (default: the model file's);",
                    "float64 -> float32 rounds each parameter to nearest",
                    "and refuses one beyond float32 range"})
    DType dtype;
}
