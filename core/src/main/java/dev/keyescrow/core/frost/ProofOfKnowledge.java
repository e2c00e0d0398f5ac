package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.EdwardsPoint;
import cafe.cryptography.curve25519.Scalar;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The Schnorr proof of knowledge of a DKG polynomial's constant term a_0 (Komlo and
 * Goldberg, FROST, round 1 step 2), which stops a rogue-key attack: R = k * G,
 * c = H(context string || "dkg" || len(context) || context || id || a_0 * G || R),
 * z = k + a_0 * c. Binding the participant identifier and the ceremony context stops a
 * proof from being replayed by another participant or in another ceremony.
 */
public final class ProofOfKnowledge {
    private final GroupElement commitment;
    private final byte[] response;

    public ProofOfKnowledge(GroupElement commitment, byte[] response) {
        this.commitment = Objects.requireNonNull(commitment, "commitment");
        Ed25519Group.decodeScalar(response);
        this.response = response.clone();
    }

    static ProofOfKnowledge prove(ParticipantId id, byte[] context, SecretScalar constantTerm,
                                  GroupElement constantCommitment, SecureRandom random) {
        try (SecretScalar k = Polynomial.randomScalar(random)) {
            GroupElement r = GroupElement.of(Ed25519Group.baseMul(k.scalar()));
            Scalar c = challenge(id, context, constantCommitment, r);
            Scalar z = constantTerm.scalar().multiplyAndAdd(c, k.scalar());
            return new ProofOfKnowledge(r, z.toByteArray());
        }
    }

    /** Whether z * G == R + c * (a_0 * G). */
    public boolean verifies(ParticipantId id, byte[] context, GroupElement constantCommitment) {
        Scalar c = challenge(id, context, constantCommitment, commitment);
        EdwardsPoint lhs = Ed25519Group.baseMul(Ed25519Group.decodeScalar(response));
        EdwardsPoint rhs = commitment.point().add(constantCommitment.point().multiply(c));
        return Ed25519Group.sameElement(lhs, rhs);
    }

    private static Scalar challenge(ParticipantId id, byte[] context, GroupElement constantCommitment,
                                    GroupElement r) {
        byte[] length = ByteBuffer.allocate(4).putInt(context.length).array();
        return FrostHash.hashToScalar("dkg", length, context, id.toScalarBytes(),
                constantCommitment.toBytes(), r.toBytes());
    }

    /** R, 32 bytes. */
    public GroupElement commitment() {
        return commitment;
    }

    /** z, 32 bytes. */
    public byte[] response() {
        return response.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProofOfKnowledge that && commitment.equals(that.commitment)
                && Arrays.equals(response, that.response);
    }

    @Override
    public int hashCode() {
        return 31 * commitment.hashCode() + Arrays.hashCode(response);
    }

    @Override
    public String toString() {
        return "ProofOfKnowledge[" + commitment + ", " + HexFormat.of().formatHex(response) + "]";
    }
}
