package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES key wrap with padding (RFC 5649) in software, the twin of
 * {@code CKM_AES_KEY_WRAP_PAD}/{@code CKM_AES_KEY_WRAP_KWP}: the JDK's
 * {@code AES/KWP/NoPadding} (SunJCE since JDK 17), whose AES runs on the constant-time
 * hardware instructions ({@link JdkAes}). A failed integrity check is a
 * {@link CorruptBlobException} with one uniform message.
 */
public final class AesKwp {
    private static final String TRANSFORMATION = "AES/KWP/NoPadding";

    private AesKwp() {
    }

    /** RFC 5649 of {@code value} (at least one byte) under {@code kek}. */
    public static byte[] wrap(SecretBytes kek, SecretBytes value) {
        if (value.length() == 0) {
            throw new IllegalArgumentException("nothing to wrap");
        }
        byte[] k = kek.toByteArray(SecretAccess.plaintext());
        byte[] v = value.toByteArray(SecretAccess.plaintext());
        try {
            Cipher kwp = JdkAes.cipher(TRANSFORMATION);
            kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
            return kwp.doFinal(v);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the KEK is not an AES key");
        } catch (GeneralSecurityException e) {
            throw new BugException("RFC 5649 wrap failed", e);
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(v, (byte) 0);
        }
    }

    /** @throws CorruptBlobException if the integrity check fails or the length is impossible */
    public static SecretBytes unwrap(SecretBytes kek, byte[] wrapped) throws CorruptBlobException {
        if (wrapped.length < 16 || wrapped.length % 8 != 0) {
            throw new CorruptBlobException("wrapped value has an invalid length");
        }
        byte[] k = kek.toByteArray(SecretAccess.plaintext());
        byte[] out = null;
        try {
            Cipher kwp = JdkAes.cipher(TRANSFORMATION);
            kwp.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"));
            out = new byte[kwp.getOutputSize(wrapped.length)];
            int length = kwp.doFinal(wrapped, 0, wrapped.length, out, 0);
            return SecretBytes.copyFrom(out, 0, length);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the KEK is not an AES key");
        } catch (GeneralSecurityException e) {
            // BadPaddingException (integrity) or IllegalBlockSizeException (length): one answer
            throw new CorruptBlobException("wrapped value failed its integrity check");
        } finally {
            Arrays.fill(k, (byte) 0);
            if (out != null) {
                Arrays.fill(out, (byte) 0);
            }
        }
    }
}
