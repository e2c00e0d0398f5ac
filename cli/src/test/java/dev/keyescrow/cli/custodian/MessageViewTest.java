package dev.keyescrow.cli.custodian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a custodian sees of a message to sign: text only when nothing in it can hide or reorder text. */
class MessageViewTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void printableTextIsShownAsText() {
        assertEquals("release 4.2.0\ntagged", MessageView.textOrNull(utf8("release 4.2.0\ntagged")));
        assertEquals("zahle 10 € an Bob", MessageView.textOrNull(utf8("zahle 10 € an Bob")));
        assertEquals("  message 1     8 bytes, as text:\n    line one\n", MessageView.describe(1, utf8("line one")));
    }

    @Test
    void hiddenOrInvalidIsShownAsHex() {
        for (String hidden : new String[] {"pay \u202emallory", "a\u200bb", "bell\u0007", "esc\u001b[2J",
            "\ufeffbom", "isolate\u2066x"}) {
            assertNull(MessageView.textOrNull(utf8(hidden)), hidden);
        }
        assertNull(MessageView.textOrNull(new byte[] {(byte) 0xc3, 0x28}), "invalid UTF-8");
        assertEquals("  message 2     3 bytes, as hex:\n    00ff10\n",
                MessageView.describe(2, new byte[] {0, (byte) 0xff, 0x10}));
    }
}
