package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import java.util.Objects;

/**
 * Round two of RFC 9591 (section 5.2, sign): z_i = d_i + e_i * rho_i + lambda_i * s_i * c.
 * The nonces are destroyed whether signing succeeds or not, so a pair never signs twice.
 */
public final class FrostSigner {
    private FrostSigner() {
    }

    /**
     * @throws IllegalArgumentException if the nonces were used, if the list lacks this
     *     participant's own commitment (or carries another one for it), or if it has fewer
     *     than t signers
     */
    public static SignatureShare sign(KeyShare keyShare, SigningNonces nonces, CommitmentList commitments,
                                      byte[] message) {
        Objects.requireNonNull(message, "message");
        try {
            if (nonces.isDestroyed()) {
                throw new IllegalArgumentException("these nonces were already used");
            }
            SigningCommitment own = commitments.commitmentOf(keyShare.id()).orElseThrow(
                    () -> new IllegalArgumentException(keyShare.id() + " is not in the commitment list"));
            if (!own.equals(nonces.commitment())) {
                throw new IllegalArgumentException("the commitment list carries another commitment for " + keyShare.id());
            }
            if (commitments.size() < keyShare.threshold()) {
                throw new IllegalArgumentException("a signature needs " + keyShare.threshold()
                        + " signers, the list has " + commitments.size());
            }
            SigningSession session = new SigningSession(keyShare.groupPublicKey(), commitments, message);
            Scalar rho = session.bindingFactors().of(keyShare.id());
            Scalar lambda = session.lagrangeCoefficient(keyShare.id());
            Scalar share = lambda.multiply(keyShare.signingShare().scalar()).multiply(session.challenge());
            Scalar z = nonces.binding().scalar().multiplyAndAdd(rho, nonces.hiding().scalar()).add(share);
            return new SignatureShare(keyShare.id(), z.toByteArray());
        } finally {
            nonces.close();
        }
    }
}
