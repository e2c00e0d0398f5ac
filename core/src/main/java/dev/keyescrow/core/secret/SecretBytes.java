package dev.keyescrow.core.secret;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret bytes: key material, a share's value, a wrapping key.
 *
 * <p>Copies defensively on the way in and out, never prints its content, has no
 * {@code equals}/{@code hashCode} (use {@link #equalsSecret}, which is constant-time),
 * and can be zeroed with {@link #destroy()} (also through {@code close()}, so
 * try-with-resources wipes it on every path).
 */
public final class SecretBytes implements AutoCloseable {
    private final byte[] bytes;
    private volatile boolean destroyed;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code source}; the caller keeps (and should zero) its own array. */
    public static SecretBytes copyFrom(byte[] source) {
        Objects.requireNonNull(source, "source");
        return new SecretBytes(source.clone());
    }

    /** A copy of {@code length} bytes of {@code source} from {@code offset}. */
    public static SecretBytes copyFrom(byte[] source, int offset, int length) {
        Objects.requireNonNull(source, "source");
        Objects.checkFromIndexSize(offset, length, source.length);
        return new SecretBytes(Arrays.copyOfRange(source, offset, offset + length));
    }

    /** A copy of {@code source}, after which {@code source} is zeroed. */
    public static SecretBytes moveFrom(byte[] source) {
        SecretBytes copy = copyFrom(source);
        Arrays.fill(source, (byte) 0);
        return copy;
    }

    public int length() {
        return bytes.length;
    }

    /**
     * A fresh copy of the plaintext. The caller owns it and must zero it after use.
     *
     * @throws IllegalStateException if this secret was destroyed
     */
    public byte[] toByteArray(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        checkAlive();
        return bytes.clone();
    }

    /** Copies the plaintext into {@code target} at {@code offset}. */
    public void copyTo(SecretAccess access, byte[] target, int offset) {
        Objects.requireNonNull(access, "access");
        checkAlive();
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    /** Constant-time comparison of content (the lengths are not secret). */
    public boolean equalsSecret(SecretBytes other) {
        Objects.requireNonNull(other, "other");
        checkAlive();
        other.checkAlive();
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    /** Zeroes the content. Idempotent. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public void close() {
        destroy();
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("secret was destroyed");
        }
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes, redacted]";
    }
}
