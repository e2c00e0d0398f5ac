package dev.keyescrow.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.util.HexFormat;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class SecretHexProperties {
    @Property
    void encodingMatchesTheJdkAndDecodesBackInEitherCase(@ForAll byte[] bytes) {
        char[] hex = SecretHex.encode(SecretBytes.copyFrom(bytes));
        assertEquals(HexFormat.of().formatHex(bytes), new String(hex));
        assertArrayEquals(bytes, SecretHex.decode(hex).toByteArray(SecretAccess.plaintext()));
        assertArrayEquals(bytes, SecretHex.decode(new String(hex).toUpperCase().toCharArray())
                .toByteArray(SecretAccess.plaintext()));
    }

    @Property
    void everyNonHexCharacterIsRefused(@ForAll char c) {
        boolean isHex = "0123456789abcdefABCDEF".indexOf(c) >= 0;
        if (isHex) {
            assertEquals(1, SecretHex.decode(new char[] {'0', c}).length());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SecretHex.decode(new char[] {'0', c}));
            assertEquals("character 2 is not a hex digit", e.getMessage());
        }
    }

    @Example
    void oddLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SecretHex.decode("abc".toCharArray()));
    }
}
