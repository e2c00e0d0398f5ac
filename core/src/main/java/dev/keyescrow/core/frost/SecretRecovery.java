package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import java.util.ArrayList;
import java.util.List;

/**
 * Interpolates a FROST group secret from t or more key shares (the EXPORT recipient's
 * side: a FROST key is never combined anywhere else), checked against the group public key
 * so a wrong share cannot produce a wrong key silently. The result is a scalar, not an
 * RFC 8032 seed: a DKG key never had a seed.
 */
public final class SecretRecovery {
    private SecretRecovery() {
    }

    /**
     * @throws IllegalArgumentException if fewer than t shares, a repeated identifier, or
     *     the result does not match the group public key (the message names no share value)
     */
    public static SecretScalar recover(List<KeyShare> shares, PublicKeyPackage publicKeys) {
        if (shares.size() < publicKeys.threshold()) {
            throw new IllegalArgumentException("recovery needs " + publicKeys.threshold() + " shares");
        }
        List<ParticipantId> ids = new ArrayList<>();
        for (KeyShare share : shares) {
            if (!share.verificationShare().equals(publicKeys.verificationShareOf(share.id()))) {
                throw new IllegalArgumentException("the share of " + share.id() + " does not match its verification share");
            }
            ids.add(share.id());
        }
        Scalar secret = Scalar.ZERO;
        for (KeyShare share : shares) {
            secret = Lagrange.atZero(share.id(), ids).multiplyAndAdd(share.signingShare().scalar(), secret);
        }
        SecretScalar recovered = SecretScalar.of(secret);
        if (!Ed25519Group.sameElement(Ed25519Group.baseMul(secret), publicKeys.groupPublicKey().point())) {
            recovered.destroy();
            throw new IllegalArgumentException("the recovered secret does not match the group public key");
        }
        return recovered;
    }
}
