package dev.keyescrow.core.signature;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 (RFC 8032, pure) for custodian keys: raw 32-byte public keys, raw 64-byte
 * signatures, nothing else accepted.
 */
public final class Ed25519 {
    public static final int PUBLIC_KEY_LENGTH = 32;
    public static final int PRIVATE_KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private Ed25519() {
    }

    /** A fresh private key (the 32-byte seed). */
    public static SecretBytes generatePrivateKey(SecureRandom random) {
        byte[] seed = new byte[PRIVATE_KEY_LENGTH];
        random.nextBytes(seed);
        return SecretBytes.moveFrom(seed);
    }

    /**
     * The raw public key of {@code privateKey}. Bouncy Castle's RFC 8032 function directly
     * (constant-time base-point multiplication on fixed-width limbs): a private-key parameter
     * object would keep a copy of the seed that nothing zeroes.
     */
    public static byte[] publicKeyOf(SecretBytes privateKey) {
        if (privateKey.length() != PRIVATE_KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 private key must be " + PRIVATE_KEY_LENGTH + " bytes");
        }
        byte[] seed = privateKey.toByteArray(SecretAccess.plaintext());
        try {
            byte[] publicKey = new byte[PUBLIC_KEY_LENGTH];
            org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, publicKey, 0);
            return publicKey;
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Whether {@code publicKey} is 32 bytes encoding, canonically (y below p, no negative
     * zero), a point of the prime-order subgroup. Small-order points, the identity among
     * them, are refused: under such a key anyone can forge signatures that verify. Key
     * generation only ever yields prime-order points, so an honest key always passes.
     */
    public static boolean isValidPublicKey(byte[] publicKey) {
        return publicKey != null && publicKey.length == PUBLIC_KEY_LENGTH
                && org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(publicKey, 0);
    }

    /** The 64-byte signature of {@code message}. */
    public static byte[] sign(SecretBytes privateKey, byte[] message) {
        byte[] seed = privateKey.toByteArray(SecretAccess.plaintext());
        try {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Verifies {@code signature} over {@code message} under the raw {@code publicKey}.
     *
     * @throws SignatureException if the key or signature has the wrong length, the key is not
     *                            a valid point, or the signature does not verify
     */
    public static void verify(byte[] publicKey, byte[] message, byte[] signature) throws SignatureException {
        Objects.requireNonNull(message, "message");
        if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH) {
            throw new SignatureException("Ed25519 public key must be exactly " + PUBLIC_KEY_LENGTH + " bytes");
        }
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            throw new SignatureException("Ed25519 signature must be exactly " + SIGNATURE_LENGTH + " bytes");
        }
        Ed25519PublicKeyParameters key;
        try {
            key = new Ed25519PublicKeyParameters(publicKey, 0);
        } catch (IllegalArgumentException e) {
            throw new SignatureException("Ed25519 public key is not a valid curve point");
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        if (!verifier.verifySignature(signature)) {
            throw new SignatureException("Ed25519 signature does not verify");
        }
    }
}
