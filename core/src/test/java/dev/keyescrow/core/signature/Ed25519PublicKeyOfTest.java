package dev.keyescrow.core.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.secret.SecretBytes;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@link Ed25519#publicKeyOf} against the key pairs of RFC 8032, section 7.1 (tests 1 to 3). */
class Ed25519PublicKeyOfTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void publicKeys_matchRfc8032() {
        String[][] pairs = {
            {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"},
            {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"},
            {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"},
        };
        for (String[] pair : pairs) {
            try (SecretBytes seed = SecretBytes.copyFrom(HEX.parseHex(pair[0]))) {
                assertArrayEquals(HEX.parseHex(pair[1]), Ed25519.publicKeyOf(seed), pair[0]);
            }
        }
    }

    @Test
    void aSeedOfTheWrongLength_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ed25519.publicKeyOf(SecretBytes.copyFrom(new byte[31])));
        assertThrows(IllegalArgumentException.class, () -> Ed25519.publicKeyOf(SecretBytes.copyFrom(new byte[33])));
    }
}
