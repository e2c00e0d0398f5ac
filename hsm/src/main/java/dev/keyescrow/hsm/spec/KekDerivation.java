package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The transport KDF of {@code docs/spec/kdf.md}: {@code KEK = AES-256-ECB(Z, SHA-256(info))}.
 *
 * <p>Why AES as the PRF: SoftHSM2 2.6 allows only {@code CKD_NULL} on ECDH and has no HMAC
 * or HKDF derivation, but it has {@code CKM_AES_ECB_ENCRYPT_DATA}, so a token can run this
 * step without {@code Z} or the KEK leaving it. The digest {@code D} is public and is
 * computed in Java on both sides by {@link #derivationData}. In software the AES step is the
 * JDK's ({@link JdkAes}): {@code Z} is secret, so no table-based AES may be keyed with it.
 */
public final class KekDerivation {
    /** Domain-separation label of every transport KEK. */
    public static final String LABEL = "keyescrow/v1/kek";

    private KekDerivation() {
    }

    /** {@code D = SHA-256(info)}, the 32 bytes encrypted under Z. */
    public static byte[] derivationData(KekContext context, byte[] ephemeralPublicKey, byte[] transportPublicKey) {
        if (ephemeralPublicKey.length != P256.PUBLIC_KEY_LENGTH || transportPublicKey.length != P256.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("public keys must be 65-byte uncompressed points");
        }
        byte[] ctx = context.context();
        if (ctx.length > 0xFFFF) {
            throw new IllegalArgumentException("context longer than 65535 bytes");
        }
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
        info.write(0);
        info.writeBytes(context.purpose().label().getBytes(StandardCharsets.US_ASCII));
        info.write(0);
        info.write(ctx.length >>> 8);
        info.write(ctx.length);
        info.writeBytes(ctx);
        info.writeBytes(ephemeralPublicKey);
        info.writeBytes(transportPublicKey);
        return sha256(info.toByteArray());
    }

    /** {@code KEK = AES-256-ECB(key = Z, D)}: two independent AES blocks, 32 bytes. */
    public static SecretBytes kek(SecretBytes sharedSecret, byte[] derivationData) {
        if (sharedSecret.length() != 32 || derivationData.length != 32) {
            throw new IllegalArgumentException("Z and D must be 32 bytes each");
        }
        byte[] z = sharedSecret.toByteArray(SecretAccess.plaintext());
        byte[] out = new byte[32];
        try {
            Cipher aes = JdkAes.cipher("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(z, "AES"));
            if (aes.doFinal(derivationData, 0, 32, out, 0) != 32) {
                throw new BugException("AES-ECB of two blocks did not give 32 bytes");
            }
            return SecretBytes.moveFrom(out);
        } catch (GeneralSecurityException e) {
            Arrays.fill(out, (byte) 0);
            throw new BugException("AES-256-ECB with a 32-byte key failed", e);
        } finally {
            Arrays.fill(z, (byte) 0);
        }
    }

    /** The whole software derivation: ECDH, then {@link #kek}. */
    public static SecretBytes deriveKek(SecretBytes privateKey, byte[] peerPublicKey, KekContext context,
            byte[] ephemeralPublicKey, byte[] transportPublicKey) throws dev.keyescrow.hsm.InvalidPeerKeyException {
        try (SecretBytes z = P256.sharedSecret(privateKey, peerPublicKey)) {
            return kek(z, derivationData(context, ephemeralPublicKey, transportPublicKey));
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no SHA-256", e);
        }
    }
}
