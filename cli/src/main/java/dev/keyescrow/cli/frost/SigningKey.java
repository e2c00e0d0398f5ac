package dev.keyescrow.cli.frost;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A FROST signing key as the operator knows it: its id and version, and the group public key
 * the coordinator published (raw 32-byte Ed25519), against which every signature is checked.
 */
public record SigningKey(String keyId, int version, byte[] publicKey) {
    public SigningKey {
        if (keyId == null || keyId.isEmpty() || version < 1) {
            throw new IllegalArgumentException("a signing key needs an id and a version >= 1");
        }
        if (publicKey == null || publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String publicKeyHex() {
        return HexFormat.of().formatHex(publicKey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigningKey k && k.keyId.equals(keyId) && k.version == version
                && Arrays.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + " v" + version + " " + publicKeyHex() + "]";
    }
}
