package dev.keyescrow.core.signature;

import java.util.HexFormat;

/**
 * What people compare out of band for any public key (Ed25519 custodian keys, P-256 node,
 * coordinator and recipient keys): lowercase hex SHA-256 of the key's encoded bytes.
 */
public final class KeyFingerprint {
    private KeyFingerprint() {
    }

    public static String of(byte[] publicKey) {
        return HexFormat.of().formatHex(EcdsaP256.sha256(publicKey));
    }
}
