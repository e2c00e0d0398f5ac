package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.util.Arrays;

/**
 * A secret scalar modulo L (a signing share, a nonce, a polynomial coefficient): 32 bytes
 * little-endian, canonical. Never printed; {@link #destroy()} zeroes it.
 *
 * <p>Arithmetic decodes it into the library's scalar type for the length of one
 * operation; those temporaries cannot be zeroed and are left to the garbage collector,
 * the same limit as any JCA key object.
 */
public final class SecretScalar implements AutoCloseable {
    private final SecretBytes bytes;

    private SecretScalar(SecretBytes bytes) {
        this.bytes = bytes;
    }

    /** Takes {@code canonical} (32 bytes, below L) and zeroes the caller's array. */
    public static SecretScalar moveFrom(byte[] canonical) {
        try {
            Ed25519Group.decodeScalar(canonical);
            return new SecretScalar(SecretBytes.copyFrom(canonical));
        } finally {
            if (canonical != null) {
                Arrays.fill(canonical, (byte) 0);
            }
        }
    }

    static SecretScalar of(Scalar scalar) {
        return new SecretScalar(SecretBytes.moveFrom(scalar.toByteArray()));
    }

    /** SerializeScalar; the caller owns the copy and must zero it. */
    public byte[] toByteArray(SecretAccess access) {
        return bytes.toByteArray(access);
    }

    Scalar scalar() {
        byte[] copy = bytes.toByteArray(SecretAccess.plaintext());
        try {
            return Scalar.fromCanonicalBytes(copy);
        } finally {
            Arrays.fill(copy, (byte) 0);
        }
    }

    /** Constant-time equality. */
    public boolean equalsSecret(SecretScalar other) {
        return bytes.equalsSecret(other.bytes);
    }

    public void destroy() {
        bytes.destroy();
    }

    public boolean isDestroyed() {
        return bytes.isDestroyed();
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "SecretScalar[redacted]";
    }
}
