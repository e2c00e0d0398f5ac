package dev.keyescrow.core.frost;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RFC 9591 appendix C: trusted_dealer_keygen. Splits a group secret scalar into n
 * Shamir shares over the scalars modulo L with threshold t, and commits to the
 * polynomial (Feldman) so every share can be checked. Used to migrate an existing key.
 */
public final class TrustedDealer {
    private TrustedDealer() {
    }

    /**
     * Splits {@code groupSecret} (not taken: the caller still owns and destroys it).
     *
     * @throws IllegalArgumentException unless 2 <= t <= n <= 255
     */
    public static DealerSplit split(SecretScalar groupSecret, int threshold, int participants, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        checkParameters(threshold, participants);
        SecretScalar constant = SecretScalar.of(groupSecret.scalar());
        try (Polynomial polynomial = Polynomial.random(constant, threshold, random)) {
            return split(polynomial, participants);
        }
    }

    /** The split with given coefficients (constant term first): reproduces the RFC's vectors. */
    static DealerSplit split(Polynomial polynomial, int participants) {
        checkParameters(polynomial.threshold(), participants);
        VssCommitment commitment = polynomial.commit();
        GroupElement groupPublicKey = commitment.constantTerm();
        List<KeyShare> shares = new ArrayList<>(participants);
        for (int i = 1; i <= participants; i++) {
            ParticipantId id = ParticipantId.of(i);
            shares.add(new KeyShare(id, polynomial.evaluate(id), groupPublicKey, polynomial.threshold()));
        }
        return new DealerSplit(shares, commitment, PublicKeyPackage.fromCommitment(commitment, participants));
    }

    private static void checkParameters(int threshold, int participants) {
        if (threshold < 2 || threshold > participants || participants > ParticipantId.MAX) {
            throw new IllegalArgumentException("need 2 <= t <= n <= " + ParticipantId.MAX
                    + ", got t=" + threshold + " n=" + participants);
        }
    }
}
