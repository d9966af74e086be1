package io.jarnn.io;

import io.jarnn.io.JsonValue.JsonArray;
import io.jarnn.io.JsonValue.JsonBoolean;
import io.jarnn.io.JsonValue.JsonNumber;
import io.jarnn.io.JsonValue.JsonObject;
import io.jarnn.io.JsonValue.JsonString;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed, strict access to the members of one JSON object. Every error is an
 * {@link IllegalArgumentException} whose message starts with the member's full path
 * ({@code hilbert.N}, {@code features[2]}); {@link #requireNoOtherFields()} rejects members
 * that were never asked for, so a typo cannot be silently ignored.
 */
final class JsonFields {
    private final String path;
    private final JsonObject object;
    private final Set<String> read = new LinkedHashSet<>();

    private JsonFields(String path, JsonObject object) {
        this.path = path;
        this.object = object;
    }

    /** The members of a document whose top-level value must be an object; paths start at its members. */
    static JsonFields root(JsonValue value) {
        if (!(value instanceof JsonObject o)) {
            throw new IllegalArgumentException("expected a JSON object at the top level but got "
                    + JsonValue.describe(value));
        }
        return new JsonFields("", o);
    }

    /** The object {@code value}, which error messages call {@code name}. */
    static JsonFields of(JsonValue value, String name) {
        if (!(value instanceof JsonObject o)) {
            throw new IllegalArgumentException(name + ": expected an object but got " + JsonValue.describe(value));
        }
        return new JsonFields(name, o);
    }

    /** The full path of member {@code key}, as error messages name it. */
    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return object.members().containsKey(key);
    }

    JsonValue require(String key) {
        JsonValue v = object.members().get(key);
        if (v == null) {
            throw new IllegalArgumentException(field(key) + ": expected this field but it is missing");
        }
        read.add(key);
        return v;
    }

    String string(String key) {
        if (require(key) instanceof JsonString s) {
            return s.value();
        }
        throw wrongType(key, "a string");
    }

    boolean bool(String key) {
        if (require(key) instanceof JsonBoolean b) {
            return b.value();
        }
        throw wrongType(key, "true or false");
    }

    int integer(String key) {
        return toInt(field(key), require(key));
    }

    double decimal(String key) {
        return toDouble(field(key), require(key));
    }

    float floating(String key) {
        return toFloat(field(key), require(key));
    }

    JsonFields object(String key) {
        return of(require(key), field(key));
    }

    /** The array {@code key} of objects; their paths are {@code key[i]}. */
    List<JsonFields> objects(String key) {
        List<JsonValue> elements = array(key);
        List<JsonFields> out = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            out.add(of(elements.get(i), field(key) + "[" + i + "]"));
        }
        return out;
    }

    int[] integers(String key) {
        List<JsonValue> elements = array(key);
        int[] out = new int[elements.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toInt(field(key) + "[" + i + "]", elements.get(i));
        }
        return out;
    }

    float[] floats(String key) {
        List<JsonValue> elements = array(key);
        float[] out = new float[elements.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toFloat(field(key) + "[" + i + "]", elements.get(i));
        }
        return out;
    }

    private List<JsonValue> array(String key) {
        if (require(key) instanceof JsonArray a) {
            return a.elements();
        }
        throw wrongType(key, "an array");
    }

    /** Throws naming the first member that no accessor asked for. */
    void requireNoOtherFields() {
        for (String key : object.members().keySet()) {
            if (!read.contains(key)) {
                throw new IllegalArgumentException(field(key) + ": unknown field (expected only "
                        + List.copyOf(read) + ")");
            }
        }
    }

    private IllegalArgumentException wrongType(String key, String expected) {
        return new IllegalArgumentException(field(key) + ": expected " + expected + " but got "
                + JsonValue.describe(object.members().get(key)));
    }

    private static int toInt(String name, JsonValue v) {
        if (v instanceof JsonNumber n && n.literal().matches("-?(0|[1-9][0-9]{0,9})")) {
            long value = Long.parseLong(n.literal());
            if (value == (int) value) {
                return (int) value;
            }
        }
        throw new IllegalArgumentException(name + ": expected an integer in int range but got " + JsonValue.describe(v));
    }

    private static double toDouble(String name, JsonValue v) {
        if (v instanceof JsonNumber n) {
            double value = Double.parseDouble(n.literal());
            if (Double.isFinite(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(name + ": expected a finite number but got " + JsonValue.describe(v));
    }

    /** Parses the literal directly as float: a detour through double could round twice. */
    private static float toFloat(String name, JsonValue v) {
        if (v instanceof JsonNumber n) {
            float value = Float.parseFloat(n.literal());
            if (Float.isFinite(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(name + ": expected a finite float32 number but got "
                + JsonValue.describe(v));
    }
}
