package io.jarnn.io;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNDense;
import io.jarnn.nn.LayerSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * An {@link ARNNConfig} as a small JSON document, written and read with the JDK only. Example:
 * <pre>{@code
 * {
 *   "format": "jarnn-model",
 *   "version": 2,
 *   "hilbert": {"type": "spin", "s": 0.5, "N": 100},
 *   "layers": [
 *     {"type": "MaskedConv1D", "features": 16, "kernelSize": 3, "dilation": 1, "bias": true},
 *     {"type": "MaskedConv1D", "features": 16, "kernelSize": 3, "dilation": 1, "bias": true},
 *     {"type": "MaskedConv1D", "features": 2, "kernelSize": 3, "dilation": 1, "bias": true}
 *   ],
 *   "machinePow": 2.0,
 *   "dtype": "float32"
 * }
 * }</pre>
 * {@code hilbert} is {@code {"type": "spin", "s", "N"}}, {@code {"type": "fock", "nMax", "N"}}
 * or {@code {"type": "values", "values": [...], "N"}}; a constrained spin space adds
 * {@code "totalSz"} (NetKet's {@code total_sz}) and a constrained Fock space {@code "nParticles"}
 * (absent, as before, when unconstrained); each layer is written by
 * {@link LayerSpecJson}, first (exclusive) to last. {@code dtype} is the model's precision,
 * {@code "float32"} or {@code "float64"} (NumPy's names); it is optional, as files written before
 * float64 models existed do not have it: {@link #read} takes them as float32, which is what
 * they hold, and {@link #declaredDType} tells a reader that wants to decide otherwise (from the
 * parameters' dtype) whether it was given. Version 1 files (one {@code kind} of
 * {@code "dense"} or {@code "conv1d"} with NetKet's {@code layers}, {@code features},
 * {@code kernelSize}, {@code dilation} and {@code bias}) are still read.
 *
 * <p>Reading is strict: a missing or unknown field, a wrong type, a fraction where an integer
 * belongs or another format or version is an {@link IllegalArgumentException} whose message
 * starts with the field's path (the names follow the specs', so their own validation messages
 * name the field too).
 */
public final class ModelConfigJson {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "jarnn-model";
    /** The {@code version} this code writes; bump it when the schema changes. */
    public static final int VERSION = 2;
    /** The first version, one model kind with NetKet's arguments; still read. */
    static final int VERSION_NETKET_ARGUMENTS = 1;

    private ModelConfigJson() {
    }

    /** The configuration as a JSON document (two-space indented, ending in a newline). */
    public static String write(ARNNConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
        StringJoiner layers = new StringJoiner(",\n    ", "[\n    ", "\n  ]");
        for (LayerSpec spec : config.layerSpecs()) {
            layers.add(LayerSpecJson.write(spec));
        }
        StringJoiner fields = new StringJoiner(",\n  ", "{\n  ", "\n}\n");
        fields.add("\"format\": \"" + FORMAT + "\"");
        fields.add("\"version\": " + VERSION);
        fields.add("\"hilbert\": " + hilbert(config.hilbert()));
        fields.add("\"layers\": " + layers);
        fields.add("\"machinePow\": " + Float.toString(config.machinePow()));
        fields.add("\"dtype\": \"" + config.dtype().label() + "\"");
        return fields.toString();
    }

    private static String hilbert(HilbertSpace h) {
        String kind = h.kind();
        String n = "\"N\": " + h.size();
        return switch (kind) {
            // localSize = 2s + 1; s is a multiple of 1/2, so the double is exact.
            case "spin" -> "{\"type\": \"spin\", \"s\": " + (h.localSize() - 1) / 2.0 + ", " + n
                    // a multiple of 1/2, exact in a double
                    + (h.isConstrained() ? ", \"totalSz\": " + h.constrainedTotal().getAsDouble() : "") + "}";
            case "fock" -> "{\"type\": \"fock\", \"nMax\": " + (h.localSize() - 1) + ", " + n
                    + (h.isConstrained() ? ", \"nParticles\": " + h.localIndexTotal() : "") + "}";
            case "values" -> {
                StringJoiner values = new StringJoiner(", ", "[", "]");
                for (float v : h.localValues()) {
                    values.add(Float.toString(v)); // shortest text that reads back as the same float
                }
                yield "{\"type\": \"values\", \"values\": " + values + ", " + n + "}";
            }
            default -> throw new IllegalArgumentException("config: a Hilbert space of kind '" + kind
                    + "' cannot be written (expected spin, fock or values)");
        };
    }

    /**
     * The configuration {@code json} describes.
     *
     * @throws IllegalArgumentException for malformed JSON, a schema violation or an invalid
     *                                  configuration, naming the field
     */
    public static ARNNConfig read(String json) {
        JsonFields root = JsonFields.root(JsonReader.parse(json));
        DType dtype = dtype(root).orElse(DType.FLOAT32);
        String format = root.string("format");
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException("format: expected \"" + FORMAT + "\" but got \"" + format + "\"");
        }
        int version = root.integer("version");
        ARNNConfig config = switch (version) {
            case VERSION -> readLayers(root);
            case VERSION_NETKET_ARGUMENTS -> readNetKetArguments(root);
            default -> throw new IllegalArgumentException("version: expected " + VERSION_NETKET_ARGUMENTS + " or "
                    + VERSION + " but got " + version + (version > VERSION ? " (written by a newer jarnn?)" : ""));
        };
        root.requireNoOtherFields();
        return config.withDType(dtype);
    }

    /**
     * The {@code dtype} the document declares, empty when it has none (a file written before
     * float64 models, which {@link #read} takes as float32).
     *
     * @throws IllegalArgumentException as {@link #read} does for a malformed document or dtype
     */
    public static Optional<DType> declaredDType(String json) {
        return dtype(JsonFields.root(JsonReader.parse(json)));
    }

    private static Optional<DType> dtype(JsonFields root) {
        return root.has("dtype") ? Optional.of(DType.parse("dtype", root.string("dtype"))) : Optional.empty();
    }

    private static ARNNConfig readLayers(JsonFields root) {
        HilbertSpace hilbert = hilbert(root.object("hilbert"));
        List<JsonFields> layers = root.objects("layers");
        List<LayerSpec> specs = new ArrayList<>(layers.size());
        int in = 1;
        for (JsonFields layer : layers) {
            LayerSpec spec = LayerSpecJson.read(layer, hilbert.size(), in, specs.isEmpty());
            specs.add(spec);
            in = spec.out();
        }
        float machinePow = root.floating("machinePow");
        return ARNNConfig.of(hilbert, specs, machinePow);
    }

    /** Version 1: NetKet's constructor arguments of one model kind. */
    private static ARNNConfig readNetKetArguments(JsonFields root) {
        String kind = root.string("kind");
        HilbertSpace hilbert = hilbert(root.object("hilbert"));
        ARNNConfig.Builder<?> builder = switch (kind) {
            case "dense" -> {
                for (String convOnly : new String[]{"kernelSize", "dilation"}) {
                    if (root.has(convOnly)) {
                        throw new IllegalArgumentException(convOnly + ": only a conv1d model has one, this is a dense model");
                    }
                }
                yield ARNNDense.builder(hilbert);
            }
            case "conv1d" -> ARNNConv1D.builder(hilbert).kernelSize(root.integer("kernelSize"))
                    .dilation(root.integer("dilation"));
            default -> throw new IllegalArgumentException("kind: expected \"dense\" or \"conv1d\" but got \"" + kind + "\"");
        };
        return builder.layers(root.integer("layers"))
                .features(root.integers("features"))
                .bias(root.bool("bias"))
                .machinePow(root.floating("machinePow"))
                .config();
    }

    private static HilbertSpace hilbert(JsonFields h) {
        String type = h.string("type");
        int n = h.integer("N");
        HilbertSpace space;
        try {
            space = switch (type) {
                case "spin" -> h.has("totalSz") ? HilbertSpace.spin(h.decimal("s"), n, h.decimal("totalSz"))
                        : HilbertSpace.spin(h.decimal("s"), n);
                case "fock" -> h.has("nParticles") ? HilbertSpace.fock(h.integer("nMax"), n, h.integer("nParticles"))
                        : HilbertSpace.fock(h.integer("nMax"), n);
                case "values" -> HilbertSpace.ofLocalValues(n, h.floats("values"));
                default -> throw new IllegalArgumentException("type: expected \"spin\", \"fock\" or \"values\" but got \""
                        + type + "\"");
            };
        } catch (IllegalArgumentException e) {
            // HilbertSpace names its parameters as this schema does (s, nMax, values, N, totalSz, nParticles).
            throw e.getMessage().startsWith("hilbert.") ? e : new IllegalArgumentException("hilbert." + e.getMessage(), e);
        }
        h.requireNoOtherFields();
        return space;
    }
}
