package dev.keyescrow.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.core.error.ShareTextException;
import dev.keyescrow.core.format.ShareText;
import dev.keyescrow.core.sharing.Share;
import java.nio.charset.StandardCharsets;

/** {@code kes1} share text: refused with {@link ShareTextException}, or decoded and re-encoded to the same text. */
class ShareTextFuzzTest {
    @FuzzTest
    void decode(byte[] input) {
        char[] text = new String(input, StandardCharsets.UTF_8).toCharArray();
        Share share;
        try {
            share = ShareText.decode(text);
        } catch (ShareTextException refused) {
            return;
        }
        assertArrayEquals(text, ShareText.encode(share));
    }
}
