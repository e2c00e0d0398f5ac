package dev.keyescrow.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that says what JSON the servers accept. Bodies: exactly the expected JSON —
 * no unknown fields, trailing tokens, duplicate keys, type coercions, nulls for primitives,
 * comments, and no number with a fraction or an exponent where an integer belongs (Jackson
 * would otherwise truncate {@code 2.9} to 2). Trees ({@code params}, whose members depend on
 * the operation): {@link #integer}, {@link #array} and {@link #strings} read them just as
 * strictly. Path and query parameters: {@link #integerText}. Every refusal names the field.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            // a number or boolean is not a string, also inside an array of strings
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
    /** Digits of a decimal integer in text: no sign, no leading zero, no exponent, bounded length. */
    private static final int MAX_TEXT_DIGITS = 18;

    private StrictJson() {
    }

    /** Thrown for a body that is not exactly the expected JSON; the message names the problem and the field. */
    public static final class BadJsonException extends Exception {
        BadJsonException(String message) {
            super(message);
        }
    }

    public static <T> T read(byte[] body, Class<T> type) throws BadJsonException {
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new BadJsonException("the body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new BadJsonException("unknown field \"" + e.getPropertyName() + "\"");
        } catch (JsonProcessingException e) {
            throw new BadJsonException(problem(e));
        } catch (IOException e) {
            throw new BadJsonException("malformed JSON");
        }
    }

    /** A reader of {@code type} exactly as strict as {@link #read}, for callers that name refusals their own way. */
    public static ObjectReader reader(Class<?> type) {
        return MAPPER.readerFor(type);
    }

    /** How {@link #read} explains a parse failure: the field and what it must be, or the parser's first line. */
    public static String problem(JsonProcessingException e) {
        String field = fieldOf(e);
        String expected = expectation(e);
        if (!field.isEmpty() && expected != null) {
            return field + " must be " + expected;
        }
        return (field.isEmpty() ? "" : "field \"" + field + "\": ") + "malformed JSON: "
                + firstLine(e.getOriginalMessage());
    }

    /** The dotted path of the field a mapping failure is about (as {@link #problem} names it), or "". */
    public static String pathOf(JsonProcessingException e) {
        return fieldOf(e);
    }

    /**
     * Member {@code name} of the object {@code parent} as an integer in [{@code min},
     * {@code max}]: a JSON number without fraction or exponent ({@code 2.0}, {@code 2e0} and
     * {@code 2.9} are refused, never rounded), never narrowed.
     *
     * @param where how the refusal names the object, e.g. {@code params}
     */
    public static long integer(JsonNode parent, String where, String name, long min, long max)
            throws BadJsonException {
        JsonNode n = member(parent, where, name);
        if (!n.isIntegralNumber()) {
            throw new BadJsonException(where + "." + name + " must be an integer (no fraction, no exponent)");
        }
        BigInteger value = n.bigIntegerValue();
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new BadJsonException(where + "." + name + " must be an integer in [" + min + ", " + max + "]");
        }
        return value.longValueExact();
    }

    /** Member {@code name} of {@code parent}, which must be a JSON array (an object or a scalar is refused). */
    public static List<JsonNode> array(JsonNode parent, String where, String name) throws BadJsonException {
        JsonNode n = member(parent, where, name);
        if (!n.isArray()) {
            throw new BadJsonException(where + "." + name + " must be an array");
        }
        List<JsonNode> out = new ArrayList<>(n.size());
        n.forEach(out::add);
        return out;
    }

    /** Member {@code name} of {@code parent}, which must be an array of strings. */
    public static List<String> strings(JsonNode parent, String where, String name) throws BadJsonException {
        List<String> out = new ArrayList<>();
        List<JsonNode> elements = array(parent, where, name);
        for (int i = 0; i < elements.size(); i++) {
            if (!elements.get(i).isTextual()) {
                throw new BadJsonException(where + "." + name + "[" + i + "] must be a string");
            }
            out.add(elements.get(i).textValue());
        }
        return out;
    }

    /**
     * A path or query parameter that must be a decimal integer in [{@code min}, {@code max}]:
     * digits only (no sign, space, fraction, exponent or leading zero).
     *
     * @param problem the refusal's message, naming the parameter
     */
    public static long integerText(String raw, long min, long max, String problem) throws BadJsonException {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_TEXT_DIGITS || !raw.chars().allMatch(
                c -> c >= '0' && c <= '9') || (raw.length() > 1 && raw.charAt(0) == '0')) {
            throw new BadJsonException(problem);
        }
        long value = Long.parseLong(raw);
        if (value < min || value > max) {
            throw new BadJsonException(problem);
        }
        return value;
    }

    private static JsonNode member(JsonNode parent, String where, String name) throws BadJsonException {
        if (parent == null || !parent.isObject()) {
            throw new BadJsonException(where + " must be an object");
        }
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw new BadJsonException(where + "." + name + " is required");
        }
        return n;
    }

    /** The dotted path of the field a parse failure is about, or "" for the whole body. */
    private static String fieldOf(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            return path.toString();
        }
        // a number out of range fails in the parser, before databind knows the field: ask the parser
        if (e instanceof StreamReadException s && s.getProcessor() != null) {
            JsonParser p = s.getProcessor();
            List<String> names = new ArrayList<>();
            for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
                names.add(0, c.inObject() ? (c.getCurrentName() == null ? "" : c.getCurrentName())
                        : "[" + c.getCurrentIndex() + "]");
            }
            return String.join(".", names).replace(".[", "[");
        }
        return "";
    }

    /** What the field should have held, for the failures a client most needs explained; else null. */
    private static String expectation(JsonProcessingException e) {
        Class<?> target = e instanceof InputCoercionException c ? c.getTargetType()
                : e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (target == null) {
            return null;
        }
        if (target == Integer.class || target == int.class) {
            return "an integer in [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "] (no fraction, no exponent)";
        }
        if (target == Long.class || target == long.class) {
            return "an integer in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "] (no fraction, no exponent)";
        }
        if (java.util.Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (target == String.class) {
            return "a string";
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
