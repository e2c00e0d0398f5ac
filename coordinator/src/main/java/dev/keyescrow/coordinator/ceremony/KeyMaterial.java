package dev.keyescrow.coordinator.ceremony;

import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.hsm.spec.P256;
import java.security.SecureRandom;

/**
 * What is split for each algorithm, always 32 bytes of full entropy: AES-256 — the key;
 * EC-P256 — the private scalar in [1, n-1] (big-endian); ED25519 — the RFC 8032 seed. And
 * the KCV each one is checked by (design: Cryptography), which also verifies every
 * reconstruction before the key is used.
 */
public final class KeyMaterial {
    /** Every supported algorithm's material is 32 bytes. */
    public static final int LENGTH = 32;

    private KeyMaterial() {
    }

    /** Fresh material for {@code algorithm}; the caller owns (and destroys) it. */
    public static SecretBytes generate(KeyAlgorithm algorithm, SecureRandom random) {
        return switch (algorithm) {
            case AES_256, ED25519 -> {
                byte[] raw = new byte[LENGTH];
                random.nextBytes(raw);
                yield SecretBytes.moveFrom(raw);
            }
            case EC_P256 -> P256.generatePrivateKey(random);
        };
    }

    /** The KCV of {@code material} as {@code algorithm}'s key. */
    public static Kcv kcvOf(KeyAlgorithm algorithm, SecretBytes material) {
        return switch (algorithm) {
            case AES_256 -> Kcv.ofAesKey(material);
            case EC_P256 -> Kcv.ofPublicKey(P256.publicKeyOf(material));
            case ED25519 -> Kcv.ofPublicKey(Ed25519.publicKeyOf(material));
        };
    }

    /** The public key of asymmetric material (SEC1 point or raw Ed25519 key); AES has none. */
    public static byte[] publicKeyOf(KeyAlgorithm algorithm, SecretBytes material) {
        return switch (algorithm) {
            case AES_256 -> throw new IllegalArgumentException("an AES key has no public key");
            case EC_P256 -> P256.publicKeyOf(material);
            case ED25519 -> Ed25519.publicKeyOf(material);
        };
    }
}
