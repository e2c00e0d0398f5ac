package dev.keyescrow.core.integrity;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key check value: three bytes (six hex digits) that let ceremony participants confirm
 * they hold the same key without revealing it. AES: first 3 bytes of AES-ECB(key, 0^128).
 * EC and Ed25519: first 3 bytes of SHA-256 of the encoded public key.
 */
public record Kcv(String hex) {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{6}");

    public Kcv {
        Objects.requireNonNull(hex, "hex");
        if (!FORMAT.matcher(hex).matches()) {
            throw new IllegalArgumentException("KCV must be 6 lowercase hex digits");
        }
    }

    /**
     * KCV of an AES key (16, 24 or 32 bytes). Uses the JDK's AES, whose AES-NI path is
     * constant-time, rather than a table-based software AES.
     */
    public static Kcv ofAesKey(SecretBytes key) {
        int length = key.length();
        if (length != 16 && length != 24 && length != 32) {
            throw new IllegalArgumentException("AES key must be 16, 24 or 32 bytes, got " + length);
        }
        byte[] raw = key.toByteArray(SecretAccess.plaintext());
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"));
            byte[] block = aes.doFinal(new byte[16]);
            return new Kcv(HexFormat.of().formatHex(block, 0, 3));
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK's AES is unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** KCV of an asymmetric key, from its encoded public key (raw 32 bytes for Ed25519, SEC1 point for EC). */
    public static Kcv ofPublicKey(byte[] encodedPublicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(encodedPublicKey);
            return new Kcv(HexFormat.of().formatHex(digest, 0, 3));
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
