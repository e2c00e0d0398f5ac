package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * An ephemeral P-256 key pair: the coordinator's per-import or per-request key. The
 * private half is destroyed with {@link #close()} when the import is sent or the request
 * reaches a terminal state.
 */
public final class EphemeralKey implements AutoCloseable {
    private final SecretBytes privateKey;
    private final byte[] publicKey;

    private EphemeralKey(SecretBytes privateKey) {
        this.privateKey = privateKey;
        this.publicKey = P256.publicKeyOf(privateKey);
    }

    public static EphemeralKey generate(SecureRandom random) {
        return new EphemeralKey(P256.generatePrivateKey(Objects.requireNonNull(random, "random")));
    }

    /** A key from a stored (or test-vector) private scalar; the argument is copied. */
    public static EphemeralKey fromPrivateKey(SecretBytes privateKey) {
        return new EphemeralKey(SecretBytes.moveFrom(privateKey.toByteArray(SecretAccess.plaintext())));
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    SecretBytes privateKey() {
        return privateKey;
    }

    /**
     * A copy of the private scalar, for keeping a pending request's key wrapped under the
     * coordinator's KEK across a restart. The caller destroys the copy.
     */
    public SecretBytes copyPrivateKey() {
        return SecretBytes.moveFrom(privateKey.toByteArray(SecretAccess.plaintext()));
    }

    @Override
    public void close() {
        privateKey.destroy();
    }

    @Override
    public String toString() {
        return "EphemeralKey[private key redacted]";
    }
}
