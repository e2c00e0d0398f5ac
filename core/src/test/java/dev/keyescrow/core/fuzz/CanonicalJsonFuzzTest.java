package dev.keyescrow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;

/** Canonical JSON: refused with {@link FormatException}, or accepted and re-encoded to the same bytes. */
class CanonicalJsonFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        Object value;
        try {
            value = CanonicalJsonParser.parse(input);
        } catch (FormatException refused) {
            return;
        }
        // the canonical form is unique, so what the parser accepts must be exactly that form
        assertArrayEquals(input, CanonicalJson.toBytes(value));
    }
}
