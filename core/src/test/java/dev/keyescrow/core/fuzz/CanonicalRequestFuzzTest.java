package dev.keyescrow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.request.CanonicalRequest;

/** Canonical requests: refused with {@link FormatException}, or parsed and re-encoded to the same bytes. */
class CanonicalRequestFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        CanonicalRequest request;
        try {
            request = CanonicalRequest.parse(input);
        } catch (FormatException refused) {
            return;
        }
        assertArrayEquals(input, request.canonicalJson());
    }
}
