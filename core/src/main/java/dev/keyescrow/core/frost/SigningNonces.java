package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import dev.keyescrow.core.secret.SecretAccess;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A participant's secret nonce pair for one signature and its public commitment
 * (RFC 9591 section 5.1, commit). Nonces are hedged: H3(32 random bytes || share), so a
 * weak random generator alone does not expose the share. A pair signs once: signing
 * destroys it, and a destroyed pair is refused.
 */
public final class SigningNonces implements AutoCloseable {
    private static final int RANDOM_SIZE = 32;

    private final SecretScalar hiding;
    private final SecretScalar binding;
    private final SigningCommitment commitment;

    private SigningNonces(ParticipantId id, SecretScalar hiding, SecretScalar binding) {
        this.hiding = hiding;
        this.binding = binding;
        this.commitment = new SigningCommitment(id,
                GroupElement.of(Ed25519Group.baseMul(hiding.scalar())),
                GroupElement.of(Ed25519Group.baseMul(binding.scalar())));
    }

    /** Round one: fresh nonces for {@code keyShare}. */
    public static SigningNonces generate(KeyShare keyShare, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] hidingRandom = new byte[RANDOM_SIZE];
        byte[] bindingRandom = new byte[RANDOM_SIZE];
        try {
            random.nextBytes(hidingRandom);
            random.nextBytes(bindingRandom);
            return fromRandomness(keyShare, hidingRandom, bindingRandom);
        } finally {
            Arrays.fill(hidingRandom, (byte) 0);
            Arrays.fill(bindingRandom, (byte) 0);
        }
    }

    /** nonce_generate with given randomness: the RFC's vectors. */
    static SigningNonces fromRandomness(KeyShare keyShare, byte[] hidingRandom, byte[] bindingRandom) {
        return new SigningNonces(keyShare.id(),
                nonce(hidingRandom, keyShare.signingShare()),
                nonce(bindingRandom, keyShare.signingShare()));
    }

    private static SecretScalar nonce(byte[] randomBytes, SecretScalar secret) {
        byte[] secretBytes = secret.toByteArray(SecretAccess.plaintext());
        try {
            Scalar nonce = FrostHash.h3(randomBytes, secretBytes);
            return SecretScalar.of(nonce);
        } finally {
            Arrays.fill(secretBytes, (byte) 0);
        }
    }

    public SigningCommitment commitment() {
        return commitment;
    }

    SecretScalar hiding() {
        return hiding;
    }

    SecretScalar binding() {
        return binding;
    }

    public boolean isDestroyed() {
        return hiding.isDestroyed() || binding.isDestroyed();
    }

    @Override
    public void close() {
        hiding.destroy();
        binding.destroy();
    }

    @Override
    public String toString() {
        return "SigningNonces[" + commitment.id() + ", redacted]";
    }
}
