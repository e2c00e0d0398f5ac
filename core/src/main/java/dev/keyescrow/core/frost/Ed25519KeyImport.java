package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The secret scalar of an RFC 8032 Ed25519 private key (the 32-byte seed): the first half
 * of SHA-512(seed), clamped, reduced modulo L. A FROST key split from it has the same
 * public key, so signatures made by the quorum verify under the original key.
 */
public final class Ed25519KeyImport {
    private static final int SEED_SIZE = 32;

    private Ed25519KeyImport() {
    }

    /** Does not zero {@code seed}: the caller owns it. */
    public static SecretScalar secretScalarOf(byte[] seed) {
        if (seed == null || seed.length != SEED_SIZE) {
            throw new IllegalArgumentException("an Ed25519 private key is a 32-byte seed");
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-512").digest(seed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required by the platform", e);
        }
        byte[] clamped = Arrays.copyOf(digest, 32);
        try {
            clamped[0] &= (byte) 248;
            clamped[31] &= 127;
            clamped[31] |= 64;
            return SecretScalar.of(Scalar.fromBytesModOrder(clamped));
        } finally {
            Arrays.fill(digest, (byte) 0);
            Arrays.fill(clamped, (byte) 0);
        }
    }
}
