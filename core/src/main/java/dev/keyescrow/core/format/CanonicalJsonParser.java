package dev.keyescrow.core.format;

import dev.keyescrow.core.error.FormatException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads canonical JSON ({@code docs/spec/canonical-json.md}) and nothing else.
 *
 * <p>Objects become {@code Map<String, Object>}, arrays {@code List<Object>}, strings
 * {@code String}, integers {@code Long}. Since the canonical form of a value is unique, the
 * parser checks canonicality by re-encoding what it read and comparing bytes: whitespace,
 * unsorted or duplicate keys, needless escapes, leading zeros, floats, booleans, nulls,
 * invalid UTF-8 and trailing bytes are all refused.
 */
public final class CanonicalJsonParser {
    /** Nesting bound: formats here are at most a few levels deep. */
    private static final int MAX_DEPTH = 16;

    private final String text;
    private int at;

    private CanonicalJsonParser(String text) {
        this.text = text;
    }

    /** Parses {@code bytes}, which must be exactly the canonical encoding of one value. */
    public static Object parse(byte[] bytes) throws FormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException("not valid UTF-8");
        }
        CanonicalJsonParser parser = new CanonicalJsonParser(text);
        Object value = parser.value(0);
        if (parser.at != text.length()) {
            throw new FormatException("trailing bytes after the JSON value at character " + parser.at);
        }
        byte[] canonical;
        try {
            canonical = CanonicalJson.toBytes(value);
        } catch (IllegalArgumentException e) {
            throw new FormatException("not canonical JSON: " + e.getMessage());
        }
        if (!Arrays.equals(canonical, bytes)) {
            throw new FormatException("not canonical JSON (RFC 8785: sorted keys, no whitespace, minimal escapes)");
        }
        return value;
    }

    /** Parses {@code bytes} as a canonical JSON object. */
    public static Map<String, Object> parseObject(byte[] bytes) throws FormatException {
        Object value = parse(bytes);
        if (!(value instanceof Map<?, ?>)) {
            throw new FormatException("expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    private Object value(int depth) throws FormatException {
        if (depth > MAX_DEPTH) {
            throw new FormatException("JSON nested deeper than " + MAX_DEPTH);
        }
        if (at >= text.length()) {
            throw new FormatException("unexpected end of JSON");
        }
        char c = text.charAt(at);
        if (c == '{') {
            return object(depth);
        } else if (c == '[') {
            return array(depth);
        } else if (c == '"') {
            return string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            return integer();
        }
        throw new FormatException("unexpected character at " + at + ": only objects, arrays, strings and integers");
    }

    private Map<String, Object> object(int depth) throws FormatException {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            if (peek() != '"') {
                throw new FormatException("expected a member name at " + at);
            }
            String key = string();
            expect(':');
            if (map.put(key, value(depth + 1)) != null) {
                throw new FormatException("duplicate member \"" + key + "\"");
            }
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw new FormatException("expected ',' or '}' at " + (at - 1));
            }
        }
    }

    private List<Object> array(int depth) throws FormatException {
        List<Object> list = new ArrayList<>();
        at++;
        if (peek() == ']') {
            at++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw new FormatException("expected ',' or ']' at " + (at - 1));
            }
        }
    }

    private String string() throws FormatException {
        StringBuilder out = new StringBuilder();
        at++;
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new FormatException("unescaped control character in a string at " + (at - 1));
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw new FormatException("truncated \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new FormatException("invalid \\u escape at " + at);
                    }
                    at += 4;
                }
                default -> throw new FormatException("invalid escape at " + (at - 1));
            }
        }
    }

    private Long integer() throws FormatException {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (at < text.length() && (text.charAt(at) == '.' || text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            throw new FormatException("only integers are allowed, at " + start);
        }
        String digits = text.substring(start, at);
        if (digits.isEmpty() || digits.equals("-") || digits.length() > 17) {
            throw new FormatException("invalid or out-of-range integer at " + start);
        }
        return Long.parseLong(digits);
    }

    private char peek() throws FormatException {
        if (at >= text.length()) {
            throw new FormatException("unexpected end of JSON");
        }
        return text.charAt(at);
    }

    private char next() throws FormatException {
        char c = peek();
        at++;
        return c;
    }

    private void expect(char c) throws FormatException {
        if (next() != c) {
            throw new FormatException("expected '" + c + "' at " + (at - 1));
        }
    }
}
