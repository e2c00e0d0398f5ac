package dev.keyescrow.journal.internal;

import dev.keyescrow.core.error.BugException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 from the JDK; its absence is a broken runtime, not an input error. */
public final class Sha256 {
    public static final int LENGTH = 32;

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no SHA-256", e);
        }
    }

    public static byte[] of(byte[]... parts) {
        MessageDigest digest = newDigest();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }
}
