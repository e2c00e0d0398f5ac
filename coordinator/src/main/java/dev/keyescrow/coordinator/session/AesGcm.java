package dev.keyescrow.coordinator.session;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM as the USE session serves it: {@code ciphertext = IV (12 random bytes) ||
 * GCM(key, IV, plaintext, aad) (ciphertext and 16-byte tag)}. A random IV per message; with
 * the session's operation cap far below 2^32 messages per key version and session, the
 * birthday bound on 96-bit IVs is not a concern. The JDK's AES-GCM (AES-NI, constant-time)
 * is used; the raw key bytes are zeroed after each call.
 */
final class AesGcm {
    static final int IV_LENGTH = 12;
    static final int TAG_BITS = 128;

    private AesGcm() {
    }

    static byte[] encrypt(SecretBytes key, byte[] plaintext, byte[] aad, SecureRandom random) {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        byte[] raw = key.toByteArray(SecretAccess.plaintext());
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            if (aad != null) {
                gcm.updateAAD(aad);
            }
            byte[] sealed = gcm.doFinal(plaintext);
            return ByteBuffer.allocate(IV_LENGTH + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK's AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** @throws RefusedException if the ciphertext is too short or does not authenticate (wrong key, AAD or bytes) */
    static byte[] decrypt(SecretBytes key, byte[] ciphertext, byte[] aad) throws RefusedException {
        if (ciphertext.length < IV_LENGTH + TAG_BITS / 8) {
            throw new RefusedException(RefusalReason.INVALID, "ciphertext must hold a 12-byte IV and a 16-byte tag");
        }
        byte[] raw = key.toByteArray(SecretAccess.plaintext());
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(raw, "AES"),
                    new GCMParameterSpec(TAG_BITS, ciphertext, 0, IV_LENGTH));
            if (aad != null) {
                gcm.updateAAD(aad);
            }
            return gcm.doFinal(ciphertext, IV_LENGTH, ciphertext.length - IV_LENGTH);
        } catch (AEADBadTagException e) {
            throw new RefusedException(RefusalReason.INVALID, "the ciphertext does not authenticate under this key"
                    + " and AAD");
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK's AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
