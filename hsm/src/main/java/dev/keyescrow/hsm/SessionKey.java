package dev.keyescrow.hsm;

import dev.keyescrow.core.integrity.KeyAlgorithm;

/**
 * A reconstructed key serving a USE session, held by the token as a non-extractable,
 * sensitive session object ({@code CKA_TOKEN=false}): it is never written to the token's
 * store, cannot be read back, and dies with the process at the latest. {@link #close()}
 * destroys it; every operation after that is refused.
 *
 * <p>AES-256 keys encrypt and decrypt with AES-256-GCM (12-byte IV, 16-byte tag appended to
 * the ciphertext); EC-P256 keys sign with ECDSA over SHA-256 (r ‖ s, 64 bytes); ED25519 keys
 * sign with pure Ed25519 (64 bytes). An operation the algorithm does not have is a caller's
 * bug ({@link IllegalStateException}). Thread-safe.
 */
public interface SessionKey extends AutoCloseable {
    int GCM_IV_LENGTH = 12;
    int GCM_TAG_LENGTH = 16;

    KeyAlgorithm algorithm();

    /** AES-256-GCM: the ciphertext followed by the 16-byte tag. {@code aad} may be empty, never null. */
    byte[] encrypt(byte[] iv, byte[] plaintext, byte[] aad) throws TokenFailureException;

    /**
     * AES-256-GCM: the plaintext of {@code sealed} (ciphertext ‖ tag).
     *
     * @throws UnauthenticCiphertextException if the tag does not verify under this key, IV and AAD
     */
    byte[] decrypt(byte[] iv, byte[] sealed, byte[] aad) throws UnauthenticCiphertextException, TokenFailureException;

    /** ECDSA P-256 over SHA-256 of {@code message} (r ‖ s), or Ed25519 of {@code message}. */
    byte[] sign(byte[] message) throws TokenFailureException;

    boolean isOpen();

    /** Destroys the key inside the token; idempotent. */
    @Override
    void close();
}
