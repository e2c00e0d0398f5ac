package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC5649WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES key wrap with padding (RFC 5649), Bouncy Castle's engine: the software twin of
 * {@code CKM_AES_KEY_WRAP_PAD}/{@code CKM_AES_KEY_WRAP_KWP}. A failed integrity check is a
 * {@link CorruptBlobException} with one uniform message.
 */
public final class AesKwp {
    private AesKwp() {
    }

    public static byte[] wrap(SecretBytes kek, SecretBytes value) {
        byte[] k = kek.toByteArray(SecretAccess.plaintext());
        byte[] v = value.toByteArray(SecretAccess.plaintext());
        try {
            RFC5649WrapEngine engine = new RFC5649WrapEngine(AESEngine.newInstance());
            engine.init(true, new KeyParameter(k));
            return engine.wrap(v, 0, v.length);
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
        try {
            RFC5649WrapEngine engine = new RFC5649WrapEngine(AESEngine.newInstance());
            engine.init(false, new KeyParameter(k));
            return SecretBytes.moveFrom(engine.unwrap(wrapped, 0, wrapped.length));
        } catch (InvalidCipherTextException e) {
            throw new CorruptBlobException("wrapped value failed its integrity check");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }
}
