package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.EdwardsPoint;
import cafe.cryptography.curve25519.Scalar;
import java.util.Objects;

/**
 * The public quantities of one signing session that signers and the aggregator derive
 * alike from (group public key, commitment list, message): binding factors, the group
 * commitment R (RFC 9591 section 4.5), the challenge c = H2(R || PK || msg) (4.6) and
 * the Lagrange coefficients of the signer set.
 */
final class SigningSession {
    private final CommitmentList commitments;
    private final BindingFactors bindingFactors;
    private final EdwardsPoint groupCommitment;
    private final Scalar challenge;
    private final byte[] groupCommitmentBytes;

    SigningSession(GroupElement groupPublicKey, CommitmentList commitments, byte[] message) {
        Objects.requireNonNull(message, "message");
        this.commitments = commitments;
        this.bindingFactors = new BindingFactors(groupPublicKey, commitments, message);
        EdwardsPoint acc = EdwardsPoint.IDENTITY;
        for (SigningCommitment c : commitments.commitments()) {
            acc = acc.add(c.hiding().point()).add(c.binding().point().multiply(bindingFactors.of(c.id())));
        }
        this.groupCommitment = acc;
        this.groupCommitmentBytes = acc.compress().toByteArray();
        this.challenge = FrostHash.h2(groupCommitmentBytes, groupPublicKey.toBytes(), message);
    }

    BindingFactors bindingFactors() {
        return bindingFactors;
    }

    EdwardsPoint groupCommitment() {
        return groupCommitment;
    }

    byte[] groupCommitmentBytes() {
        return groupCommitmentBytes.clone();
    }

    Scalar challenge() {
        return challenge;
    }

    /** derive_interpolating_value over this session's signers. */
    Scalar lagrangeCoefficient(ParticipantId id) {
        return Lagrange.atZero(id, commitments.participants());
    }
}
