package dev.keyescrow.core.signature;

import dev.keyescrow.core.error.KeyEscrowException;

/**
 * Port: something that signs with a private key it never hands out — a PKCS#11 token, the
 * development vault, or a software key in tests. Implementations sign with ECDSA P-256
 * over SHA-256 of the message (the hash is computed in Java: SoftHSM2 2.6 rejects
 * CKM_ECDSA_SHA256) and return the 64-byte r ‖ s form that {@link EcdsaP256#verify} reads.
 *
 * <p>A {@link KeyEscrowException} means the signer could not sign (token gone, session
 * lost): the caller must not acknowledge what it was about to sign — stop, do not retry
 * blindly.
 */
public interface Signer {
    /** The signer's public key as an uncompressed SEC1 point (65 bytes, 0x04 ‖ X ‖ Y). */
    byte[] publicKey();

    /** The 64-byte r ‖ s ECDSA P-256 signature of SHA-256(message). */
    byte[] sign(byte[] message) throws KeyEscrowException;
}
