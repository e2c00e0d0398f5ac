package dev.keyescrow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.integrity.Manifest;

/** Manifests: refused with {@link FormatException}, or parsed and re-encoded to the same bytes. */
class ManifestFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        Manifest manifest;
        try {
            manifest = Manifest.parse(input);
        } catch (FormatException refused) {
            return;
        }
        assertArrayEquals(input, manifest.canonicalJson());
    }
}
