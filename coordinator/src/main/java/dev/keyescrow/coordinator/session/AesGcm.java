package dev.keyescrow.coordinator.session;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.hsm.SessionKey;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.UnauthenticCiphertextException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * AES-256-GCM as the USE session serves it: {@code ciphertext = IV (12 random bytes) ||
 * GCM(key, IV, plaintext, aad) (ciphertext and 16-byte tag)}. A random IV per message; with
 * the session's operation cap far below 2^32 messages per key version and session, the
 * birthday bound on 96-bit IVs is not a concern. The cipher runs in the coordinator's token
 * ({@link SessionKey}); only the framing is done here.
 */
final class AesGcm {
    static final int IV_LENGTH = SessionKey.GCM_IV_LENGTH;

    private AesGcm() {
    }

    static byte[] encrypt(SessionKey key, byte[] plaintext, byte[] aad, SecureRandom random)
            throws TokenFailureException {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        byte[] sealed = key.encrypt(iv, plaintext, aad == null ? new byte[0] : aad);
        return ByteBuffer.allocate(IV_LENGTH + sealed.length).put(iv).put(sealed).array();
    }

    /** @throws RefusedException if the ciphertext is too short or does not authenticate (wrong key, AAD or bytes) */
    static byte[] decrypt(SessionKey key, byte[] ciphertext, byte[] aad) throws RefusedException, TokenFailureException {
        if (ciphertext.length < IV_LENGTH + SessionKey.GCM_TAG_LENGTH) {
            throw new RefusedException(RefusalReason.INVALID, "ciphertext must hold a 12-byte IV and a 16-byte tag");
        }
        try {
            return key.decrypt(Arrays.copyOf(ciphertext, IV_LENGTH),
                    Arrays.copyOfRange(ciphertext, IV_LENGTH, ciphertext.length), aad == null ? new byte[0] : aad);
        } catch (UnauthenticCiphertextException e) {
            throw new RefusedException(RefusalReason.INVALID, "the ciphertext does not authenticate under this key"
                    + " and AAD");
        }
    }
}
