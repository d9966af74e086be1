package io.jarnn.io;

import io.jarnn.nn.LayerSpec;
import io.jarnn.nn.MaskedConv1DSpec;
import io.jarnn.nn.MaskedConv2DSpec;
import io.jarnn.nn.MaskedDense1DSpec;

import java.util.StringJoiner;

/**
 * One {@link LayerSpec} as a JSON object in a model file's {@code layers} list:
 * <pre>{@code
 * {"type": "MaskedDense1D", "features": 16, "bias": true}
 * {"type": "MaskedConv1D", "features": 16, "kernelSize": 3, "dilation": 1, "bias": true}
 * {"type": "MaskedConv2D", "features": 16, "kernelSize": [3, 2], "dilation": [1, 1], "bias": true}
 * }</pre>
 * {@code type} is NetKet's module name and {@code features} the output width. What follows from
 * the layer's place in the stack (N, the input width, exclusive for the first layer) is not
 * written; {@link #read} takes it from the caller. Each spec type has one case in each method,
 * and the compiler asks for the next type's.
 */
final class LayerSpecJson {
    private LayerSpecJson() {
    }

    static String write(LayerSpec spec) {
        StringJoiner fields = new StringJoiner(", ", "{", "}");
        fields.add("\"type\": \"" + spec.typeName() + "\"");
        fields.add("\"features\": " + spec.out());
        switch (spec) {
            case MaskedDense1DSpec dense -> {
            }
            case MaskedConv1DSpec conv -> {
                fields.add("\"kernelSize\": " + conv.kernelSize());
                fields.add("\"dilation\": " + conv.dilation());
            }
            case MaskedConv2DSpec conv -> {
                fields.add("\"kernelSize\": [" + conv.kernelHeight() + ", " + conv.kernelWidth() + "]");
                fields.add("\"dilation\": [" + conv.dilationHeight() + ", " + conv.dilationWidth() + "]");
            }
        }
        fields.add("\"bias\": " + spec.useBias());
        return fields.toString();
    }

    /** The spec {@code json} describes, at a place in a stack of N {@code sites} taking {@code in} features. */
    static LayerSpec read(JsonFields json, int sites, int in, boolean exclusive) {
        String type = json.string("type");
        int out = json.integer("features");
        boolean bias = json.bool("bias");
        LayerSpec spec;
        try {
            spec = switch (type) {
                case "MaskedDense1D" -> new MaskedDense1DSpec(sites, in, out, exclusive, bias);
                case "MaskedConv1D" -> new MaskedConv1DSpec(sites, in, out, json.integer("kernelSize"),
                        json.integer("dilation"), exclusive, bias);
                case "MaskedConv2D" -> {
                    int[] size = pair(json, "kernelSize");
                    int[] dilation = pair(json, "dilation");
                    yield new MaskedConv2DSpec(sites, in, out, size[0], size[1], dilation[0], dilation[1], exclusive,
                            bias);
                }
                default -> throw new IllegalArgumentException(json.field("type") + ": expected \"MaskedDense1D\", "
                        + "\"MaskedConv1D\" or \"MaskedConv2D\" but got \"" + type + "\"");
            };
        } catch (IllegalArgumentException e) {
            // The specs name their own arguments (kernelSize, dilation, ...); say which layer.
            String at = json.field("");
            throw e.getMessage().startsWith(at) ? e
                    : new IllegalArgumentException(at + e.getMessage(), e);
        }
        json.requireNoOtherFields();
        return spec;
    }

    /** A two-integer list field, (height, width). */
    private static int[] pair(JsonFields json, String name) {
        int[] values = json.integers(name);
        if (values.length != 2) {
            throw new IllegalArgumentException(json.field(name) + ": expected [height, width], two integers, but got "
                    + values.length + " of them");
        }
        return values;
    }
}
