package io.jarnn.io;

import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConfig;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * An {@link ARNNConfig} as a small JSON document, written and read with the JDK only. Example:
 * <pre>{@code
 * {
 *   "format": "jarnn-model",
 *   "version": 1,
 *   "kind": "conv1d",
 *   "hilbert": {"type": "spin", "s": 0.5, "N": 100},
 *   "layers": 3,
 *   "features": [16, 16, 2],
 *   "kernelSize": 3,
 *   "dilation": 1,
 *   "bias": true,
 *   "machinePow": 2.0
 * }
 * }</pre>
 * {@code kind} is {@code "dense"} or {@code "conv1d"}; only conv1d has {@code kernelSize} and
 * {@code dilation}. {@code hilbert} is {@code {"type": "spin", "s", "N"}},
 * {@code {"type": "fock", "nMax", "N"}} or {@code {"type": "values", "values": [...], "N"}}.
 * {@code features} is always the per-layer list (its last entry is the local size).
 *
 * <p>Reading is strict: a missing or unknown field, a wrong type, a fraction where an integer
 * belongs or another format or version is an {@link IllegalArgumentException} whose message
 * starts with the field's path (the names follow {@link ARNNConfig}'s, so its own validation
 * messages name the field too).
 */
public final class ModelConfigJson {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "jarnn-model";
    /** The {@code version} this code writes and reads; bump it when the schema changes. */
    public static final int VERSION = 1;

    private ModelConfigJson() {
    }

    /** The configuration as a JSON document (two-space indented, ending in a newline). */
    public static String write(ARNNConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config: expected a model configuration but got null");
        }
        StringJoiner fields = new StringJoiner(",\n  ", "{\n  ", "\n}\n");
        fields.add("\"format\": \"" + FORMAT + "\"");
        fields.add("\"version\": " + VERSION);
        fields.add("\"kind\": \"" + kindName(config.kind()) + "\"");
        fields.add("\"hilbert\": " + hilbert(config.hilbert()));
        fields.add("\"layers\": " + config.layers());
        StringJoiner features = new StringJoiner(", ", "[", "]");
        for (int f : config.features()) {
            features.add(Integer.toString(f));
        }
        fields.add("\"features\": " + features);
        if (config.kind() == ARNNConfig.Kind.CONV1D) {
            fields.add("\"kernelSize\": " + config.kernelSize());
            fields.add("\"dilation\": " + config.dilation());
        }
        fields.add("\"bias\": " + config.useBias());
        fields.add("\"machinePow\": " + Float.toString(config.machinePow()));
        return fields.toString();
    }

    private static String hilbert(HilbertSpace h) {
        String kind = h.kind();
        String n = "\"N\": " + h.size();
        return switch (kind) {
            // localSize = 2s + 1; s is a multiple of 1/2, so the double is exact.
            case "spin" -> "{\"type\": \"spin\", \"s\": " + (h.localSize() - 1) / 2.0 + ", " + n + "}";
            case "fock" -> "{\"type\": \"fock\", \"nMax\": " + (h.localSize() - 1) + ", " + n + "}";
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

    static String kindName(ARNNConfig.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The configuration {@code json} describes.
     *
     * @throws IllegalArgumentException for malformed JSON, a schema violation or an invalid
     *                                  configuration, naming the field
     */
    public static ARNNConfig read(String json) {
        JsonFields root = JsonFields.root(JsonReader.parse(json));
        String format = root.string("format");
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException("format: expected \"" + FORMAT + "\" but got \"" + format + "\"");
        }
        int version = root.integer("version");
        if (version != VERSION) {
            throw new IllegalArgumentException("version: expected " + VERSION + " but got " + version
                    + (version > VERSION ? " (written by a newer jarnn?)" : ""));
        }
        ARNNConfig.Kind kind = kind(root.string("kind"));
        HilbertSpace hilbert = hilbert(root.object("hilbert"));
        ARNNConfig.Builder builder = ARNNConfig.builder(kind, hilbert)
                .layers(root.integer("layers"))
                .features(root.integers("features"))
                .bias(root.bool("bias"))
                .machinePow(root.floating("machinePow"));
        for (String convOnly : new String[]{"kernelSize", "dilation"}) {
            if (kind == ARNNConfig.Kind.DENSE && root.has(convOnly)) {
                throw new IllegalArgumentException(convOnly + ": only a conv1d model has one, this is a dense model");
            }
        }
        if (kind == ARNNConfig.Kind.CONV1D) {
            builder.kernelSize(root.integer("kernelSize")).dilation(root.integer("dilation"));
        }
        root.requireNoOtherFields();
        return builder.config();
    }

    private static ARNNConfig.Kind kind(String name) {
        for (ARNNConfig.Kind k : ARNNConfig.Kind.values()) {
            if (kindName(k).equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kind: expected \"dense\" or \"conv1d\" but got \"" + name + "\"");
    }

    private static HilbertSpace hilbert(JsonFields h) {
        String type = h.string("type");
        int n = h.integer("N");
        HilbertSpace space;
        try {
            space = switch (type) {
                case "spin" -> HilbertSpace.spin(h.decimal("s"), n);
                case "fock" -> HilbertSpace.fock(h.integer("nMax"), n);
                case "values" -> HilbertSpace.ofLocalValues(n, h.floats("values"));
                default -> throw new IllegalArgumentException("type: expected \"spin\", \"fock\" or \"values\" but got \""
                        + type + "\"");
            };
        } catch (IllegalArgumentException e) {
            // HilbertSpace names its parameters as this schema does (s, nMax, values, N).
            throw e.getMessage().startsWith("hilbert.") ? e : new IllegalArgumentException("hilbert." + e.getMessage(), e);
        }
        h.requireNoOtherFields();
        return space;
    }
}
