package dev.keyescrow.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Jackson set up to refuse anything but exactly the expected JSON: unknown fields, trailing
 * tokens, duplicate keys, type coercions, nulls for primitives, comments.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private StrictJson() {
    }

    /** Thrown for a body that is not exactly the expected JSON; the message names the problem. */
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
            String message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
            int newline = message.indexOf('\n');
            throw new BadJsonException("malformed JSON: " + (newline > 0 ? message.substring(0, newline) : message));
        } catch (IOException e) {
            throw new BadJsonException("malformed JSON");
        }
    }
}
