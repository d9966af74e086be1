package io.jarnn.core.npy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the subset of Python literal syntax that a {@code .npy} header uses: a dict
 * with string keys whose values are strings, {@code True}/{@code False}/{@code None}, integers
 * (with the Python 2 {@code L} suffix old NumPy wrote), tuples and lists.
 *
 * <p>It follows Python's rules where they matter to a header: {@code (5)} is the integer 5
 * while {@code (5,)} and {@code ()} are tuples; trailing commas are allowed; whitespace
 * (including newlines) may appear between tokens. Nesting is capped so that a hostile header
 * cannot exhaust the stack.
 */
final class PythonLiteral {
    private static final int MAX_DEPTH = 32;

    sealed interface Value permits Str, Bool, Int, Seq, None {
    }

    record Str(String value) implements Value {
    }

    record Bool(boolean value) implements Value {
    }

    record Int(BigInteger value) implements Value {
    }

    /** A tuple ({@code tuple == true}) or a list. */
    record Seq(boolean tuple, List<Value> items) implements Value {
    }

    record None() implements Value {
    }

    /** A syntax error at a character position of the parsed text. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** Parses a dict literal that fills {@code text} apart from surrounding whitespace. */
    static Map<String, Value> parseDict(String text) throws SyntaxException {
        PythonLiteral p = new PythonLiteral(text);
        p.skipSpace();
        p.expect('{');
        Map<String, Value> dict = new LinkedHashMap<>();
        p.skipSpace();
        while (!p.at('}')) {
            int keyPos = p.pos;
            if (!(p.value(1) instanceof Str key)) {
                throw p.error("expected a string key", keyPos);
            }
            p.skipSpace();
            p.expect(':');
            p.skipSpace();
            Value value = p.value(1);
            if (dict.putIfAbsent(key.value(), value) != null) {
                throw p.error("key '" + key.value() + "' appears twice", keyPos);
            }
            p.skipSpace();
            if (p.at(',')) {
                p.pos++;
                p.skipSpace();
            } else if (!p.at('}')) {
                throw p.error("expected ',' or '}'", p.pos);
            }
        }
        p.pos++;
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("expected only whitespace after the closing '}'", p.pos);
        }
        return dict;
    }

    private Value value(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("expected at most " + MAX_DEPTH + " levels of nesting", pos);
        }
        if (pos >= text.length()) {
            throw error("expected a value but the header ended", pos);
        }
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            return string(c);
        }
        if (c == '(' || c == '[') {
            return sequence(c, depth);
        }
        if (c == '-' || c == '+' || isDigit(c)) {
            return integer();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            return switch (text.substring(start, pos)) {
                case "True" -> new Bool(true);
                case "False" -> new Bool(false);
                case "None" -> new None();
                default -> throw error("expected a literal but got the name '" + text.substring(start, pos) + "'",
                        start);
            };
        }
        throw error("expected a value but got '" + c + "'", pos);
    }

    private Str string(char quote) throws SyntaxException {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw error("unterminated string", start);
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return new Str(sb.toString());
            }
            if (c == '\\') {
                char escaped = pos < text.length() ? text.charAt(pos++) : '\n';
                if (escaped != '\\' && escaped != '\'' && escaped != '"') {
                    throw error("unsupported escape sequence in string", pos - 2);
                }
                sb.append(escaped);
            } else {
                sb.append(c);
            }
        }
    }

    private Int integer() throws SyntaxException {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        int digitsStart = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == digitsStart) {
            throw error("expected digits after the sign", start);
        }
        BigInteger value = new BigInteger(text.substring(start, pos));
        if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
            pos++;
        }
        return new Int(value);
    }

    /** A tuple, a list, or a parenthesised single value without a comma (which is not a tuple). */
    private Value sequence(char open, int depth) throws SyntaxException {
        int start = pos++;
        char close = open == '(' ? ')' : ']';
        List<Value> items = new ArrayList<>();
        boolean sawComma = false;
        skipSpace();
        while (!at(close)) {
            if (pos >= text.length()) {
                throw error("expected '" + close + "' to close the sequence", start);
            }
            items.add(value(depth + 1));
            skipSpace();
            if (at(',')) {
                sawComma = true;
                pos++;
                skipSpace();
            } else if (!at(close)) {
                throw error("expected ',' or '" + close + "'", pos);
            }
        }
        pos++;
        if (open == '(' && items.size() == 1 && !sawComma) {
            return items.getFirst();
        }
        return new Seq(open == '(', List.copyOf(items));
    }

    /** The value as Python would print it, for messages. */
    static String repr(Value value) {
        return switch (value) {
            case Str s -> "'" + s.value().replace("\\", "\\\\").replace("'", "\\'") + "'";
            case Bool b -> b.value() ? "True" : "False";
            case Int i -> i.value().toString();
            case None n -> "None";
            case Seq s -> {
                StringBuilder sb = new StringBuilder(s.tuple() ? "(" : "[");
                for (int k = 0; k < s.items().size(); k++) {
                    sb.append(k == 0 ? "" : ", ").append(repr(s.items().get(k)));
                }
                if (s.tuple() && s.items().size() == 1) {
                    sb.append(',');
                }
                yield sb.append(s.tuple() ? ")" : "]").toString();
            }
        };
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\n\r\f".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private boolean at(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) throws SyntaxException {
        if (!at(c)) {
            throw error("expected '" + c + "'", pos);
        }
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private SyntaxException error(String problem, int at) {
        return new SyntaxException(problem + " at character " + at);
    }
}
