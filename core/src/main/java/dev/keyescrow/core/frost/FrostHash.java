package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash functions of FROST(Ed25519, SHA-512), RFC 9591 section 6.5, with the
 * context string "FROST-ED25519-SHA512-v1". H2 has no prefix, so the challenge is
 * exactly RFC 8032's and the signature verifies as plain Ed25519.
 */
final class FrostHash {
    /** The ciphersuite's context string. */
    static final String CONTEXT_STRING = "FROST-ED25519-SHA512-v1";

    private static final byte[] CONTEXT = CONTEXT_STRING.getBytes(StandardCharsets.US_ASCII);

    private FrostHash() {
    }

    /** H1: binding factors. */
    static Scalar h1(byte[]... parts) {
        return Ed25519Group.reduceWide(sha512("rho", parts));
    }

    /** H2: the Schnorr challenge, SHA-512 without prefix, reduced modulo L. */
    static Scalar h2(byte[]... parts) {
        return Ed25519Group.reduceWide(sha512(null, parts));
    }

    /** H3: nonce generation. */
    static Scalar h3(byte[]... parts) {
        return Ed25519Group.reduceWide(sha512("nonce", parts));
    }

    /** H4: the message digest inside the binding factor input. */
    static byte[] h4(byte[] message) {
        return sha512("msg", message);
    }

    /** H5: the digest of the encoded commitment list. */
    static byte[] h5(byte[] encodedCommitments) {
        return sha512("com", encodedCommitments);
    }

    /** A further domain of this project under the same context string (the DKG proof challenge). */
    static Scalar hashToScalar(String label, byte[]... parts) {
        return Ed25519Group.reduceWide(sha512(label, parts));
    }

    private static byte[] sha512(String label, byte[]... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required by the platform", e);
        }
        if (label != null) {
            sha.update(CONTEXT);
            sha.update(label.getBytes(StandardCharsets.US_ASCII));
        }
        for (byte[] part : parts) {
            sha.update(part);
        }
        return sha.digest();
    }
}
