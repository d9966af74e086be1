package io.jarnn.io;

import java.util.List;
import java.util.SequencedMap;

/**
 * A parsed JSON value (RFC 8259). Numbers keep their literal text so that each field decides
 * how to convert it (an int field rejects {@code 2.5}, a float field parses the digits once,
 * without a detour through double).
 */
sealed interface JsonValue {
    /** Members in document order; keys are unique (the reader rejects duplicates). */
    record JsonObject(SequencedMap<String, JsonValue> members) implements JsonValue {
    }

    record JsonArray(List<JsonValue> elements) implements JsonValue {
    }

    record JsonString(String value) implements JsonValue {
    }

    /** A number as written, e.g. {@code "-1.5e3"}; already checked against JSON's number grammar. */
    record JsonNumber(String literal) implements JsonValue {
    }

    record JsonBoolean(boolean value) implements JsonValue {
    }

    record JsonNull() implements JsonValue {
    }

    /** What a value is, for error messages: "an object", "the string \"x\"", "the number 2.5". */
    static String describe(JsonValue value) {
        return switch (value) {
            case JsonObject o -> "an object";
            case JsonArray a -> "an array";
            case JsonString s -> "the string \"" + abbreviate(s.value()) + "\"";
            case JsonNumber n -> "the number " + abbreviate(n.literal());
            case JsonBoolean b -> String.valueOf(b.value());
            case JsonNull n -> "null";
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
