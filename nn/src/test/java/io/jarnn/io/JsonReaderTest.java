package io.jarnn.io;

import io.jarnn.io.JsonValue.JsonArray;
import io.jarnn.io.JsonValue.JsonBoolean;
import io.jarnn.io.JsonValue.JsonNull;
import io.jarnn.io.JsonValue.JsonNumber;
import io.jarnn.io.JsonValue.JsonObject;
import io.jarnn.io.JsonValue.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReaderTest {

    @Test
    void parsesEveryKindOfValueKeepingMemberOrderAndNumberLiterals() {
        JsonValue v = JsonReader.parse(" {\"b\": [1, -2.5e-3, 0], \"a\": {\"t\": true, \"f\": false, \"n\": null},"
                + " \"s\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u03C3\"}\r\n");
        JsonObject o = assertInstanceOf(JsonObject.class, v);
        assertEquals(List.of("b", "a", "s"), List.copyOf(o.members().keySet()));
        JsonArray b = assertInstanceOf(JsonArray.class, o.members().get("b"));
        assertEquals(List.of(new JsonNumber("1"), new JsonNumber("-2.5e-3"), new JsonNumber("0")), b.elements());
        JsonObject a = assertInstanceOf(JsonObject.class, o.members().get("a"));
        assertEquals(new JsonBoolean(true), a.members().get("t"));
        assertEquals(new JsonBoolean(false), a.members().get("f"));
        assertEquals(new JsonNull(), a.members().get("n"));
        assertEquals(new JsonString("x\"\\/\b\f\n\r\téσ"), o.members().get("s"));
    }

    @Test
    void parsesEmptyContainersAndScalarsAtTopLevel() {
        assertEquals(new JsonObject(new java.util.LinkedHashMap<>()), JsonReader.parse("{ }"));
        assertEquals(new JsonArray(List.of()), JsonReader.parse("[]"));
        assertEquals(new JsonNumber("-0.5E+2"), JsonReader.parse("-0.5E+2"));
        assertEquals(new JsonString(""), JsonReader.parse("\"\""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "trailing comma in array   | [1, 2,]                 | line 1, column 7: expected a value but got ']'",
            "trailing comma in object  | {\"a\": 1,}             | line 1, column 9: expected a member name",
            "comment                   | {\"a\": 1 /* x */}      | expected ',' or '}' but got '/'",
            "leading zero              | [01]                    | expected no leading zeros",
            "NaN                       | [NaN]                   | expected a value but got 'N'",
            "Infinity                  | [-Infinity]             | expected a digit but got 'I'",
            "bare fraction             | [.5]                    | expected a value but got '.'",
            "missing fraction digits   | [1.]                    | expected a digit after the decimal point",
            "missing exponent digits   | [1e+]                   | expected a digit in the exponent",
            "single quotes             | {'a': 1}                | expected a member name in double quotes",
            "duplicate key             | {\"a\": 1, \"a\": 2}    | \"a\" appears twice",
            "unterminated string       | [\"abc                  | expected a closing '\"' but the text ends",
            "bad escape                | [\"\\x\"]               | but got '\\x'",
            "short unicode escape      | [\"\\u12\"]             | expected four hex digits",
            "trailing content          | {} {}                   | expected the end of the document after the value but got '{'",
            "empty text                | ``                      | expected a value but the text ends",
            "truncated object          | {\"a\": 1               | expected ',' or '}' but got the end of the text",
            "misspelled literal        | [tru]                   | expected a value but got 't'",
            "missing colon             | {\"a\" 1}               | expected ':' but got '1'",
    })
    void rejectsMalformedTextNamingThePosition(String name, String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(json));
        assertTrue(e.getMessage().startsWith("invalid JSON at line "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void rejectsUnescapedControlCharactersInStrings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonReader.parse("{\"a\": \"x\ny\"}"));
        assertTrue(e.getMessage().contains("escaped but got U+000A"), e.getMessage());
    }

    @Test
    void reportsLineAndColumnOfTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonReader.parse("{\n  \"a\": 1,\n  \"b\": tru\n}"));
        assertTrue(e.getMessage().startsWith("invalid JSON at line 3, column 8:"), e.getMessage());
    }

    @Test
    void deepNestingFailsWithAMessageNotAStackOverflow() {
        String hostile = "[".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(hostile));
        assertTrue(e.getMessage().contains("at most " + JsonReader.MAX_DEPTH + " nested"), e.getMessage());
        JsonReader.parse("[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH));
    }

    @Test
    void longNumbersAreRejectedBeforeConversion() {
        String hostile = "[" + "9".repeat(1_000_000) + "]";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(hostile));
        assertTrue(e.getMessage().contains("at most " + JsonReader.MAX_NUMBER_LENGTH + " characters"), e.getMessage());
    }
}
