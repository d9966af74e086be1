package io.jarnn.io;

import io.jarnn.io.JsonValue.JsonArray;
import io.jarnn.io.JsonValue.JsonBoolean;
import io.jarnn.io.JsonValue.JsonNull;
import io.jarnn.io.JsonValue.JsonNumber;
import io.jarnn.io.JsonValue.JsonObject;
import io.jarnn.io.JsonValue.JsonString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * A small, strict JSON parser (RFC 8259): exactly one value, no comments, no trailing commas,
 * no unescaped control characters in strings, no duplicate keys, no leading zeros or
 * {@code NaN}/{@code Infinity}. Recursion depth and number length are bounded, so hostile text
 * fails with an {@link IllegalArgumentException} naming the line and column instead of a stack
 * overflow or a slow number conversion.
 */
final class JsonReader {
    /** Deeper than any jarnn document needs by far; bounds the recursion. */
    static final int MAX_DEPTH = 64;
    /** Longer than any float or int literal needs; bounds the cost of converting one. */
    static final int MAX_NUMBER_LENGTH = 100;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * The value {@code text} holds.
     *
     * @throws IllegalArgumentException "invalid JSON at line L, column C: ..." for malformed text
     */
    static JsonValue parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text: expected JSON text but got null");
        }
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        JsonValue value = reader.value(0);
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("expected the end of the document after the value but got " + reader.found());
        }
        return value;
    }

    private JsonValue value(int depth) {
        if (depth >= MAX_DEPTH) {
            throw error("expected at most " + MAX_DEPTH + " nested arrays and objects but they nest deeper");
        }
        if (pos >= text.length()) {
            throw error("expected a value but the text ends");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> new JsonString(string());
            case 't' -> literal("true", new JsonBoolean(true));
            case 'f' -> literal("false", new JsonBoolean(false));
            case 'n' -> literal("null", new JsonNull());
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("expected a value but got " + found());
            }
        };
    }

    private JsonObject object(int depth) {
        pos++; // '{'
        SequencedMap<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonObject(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name in double quotes but got " + found());
            }
            int keyStart = pos;
            String key = string();
            if (members.containsKey(key)) {
                pos = keyStart;
                throw error("expected each member name once but \"" + key + "\" appears twice");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(key, value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return new JsonObject(members);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' but got " + found());
            }
        }
    }

    private JsonArray array(int depth) {
        pos++; // '['
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonArray(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return new JsonArray(elements);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' but got " + found());
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("expected a closing '\"' but the text ends");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("expected control characters in strings to be escaped but got U+"
                        + String.format("%04X", (int) c));
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= text.length()) {
                throw error("expected an escape character after '\\' but the text ends");
            }
            char e = text.charAt(pos);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 5 > text.length()) {
                        throw error("expected four hex digits after '\\u' but the text ends");
                    }
                    int code = 0;
                    for (int k = 1; k <= 4; k++) {
                        int digit = Character.digit(text.charAt(pos + k), 16);
                        if (digit < 0) {
                            pos += k;
                            throw error("expected four hex digits after '\\u' but got " + found());
                        }
                        code = code * 16 + digit;
                    }
                    sb.append((char) code);
                    pos += 4;
                }
                default -> throw error("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX but got '\\"
                        + e + "'");
            }
            pos++;
        }
    }

    /** JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    private JsonNumber number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("expected no leading zeros in a number but got " + found());
            }
        } else {
            requireDigits("a digit");
        }
        if (peek() == '.') {
            pos++;
            requireDigits("a digit after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigits("a digit in the exponent");
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            pos = start;
            throw error("expected a number of at most " + MAX_NUMBER_LENGTH + " characters but it is longer");
        }
        return new JsonNumber(text.substring(start, pos));
    }

    private void requireDigits(String what) {
        if (!isDigit(peek())) {
            throw error("expected " + what + " but got " + found());
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private JsonValue literal(String word, JsonValue value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected a value but got " + found());
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "' but got " + found());
        }
        pos++;
    }

    /** The current character, or NUL at the end (NUL never appears unescaped in valid JSON). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String found() {
        if (pos >= text.length()) {
            return "the end of the text";
        }
        char c = text.charAt(pos);
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private IllegalArgumentException error(String problem) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("invalid JSON at line " + line + ", column " + column + ": " + problem);
    }
}
