package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.EdwardsPoint;
import cafe.cryptography.curve25519.Scalar;
import java.util.ArrayList;
import java.util.List;

/**
 * Feldman commitments to a secret polynomial: {@code C_k = a_k * G} for each coefficient,
 * constant term first (RFC 9591 appendix C.2, vss_commit). Anyone holding it can compute
 * every participant's verification share and check a share without learning it.
 */
public final class VssCommitment {
    private final List<GroupElement> coefficients;

    public VssCommitment(List<GroupElement> coefficients) {
        if (coefficients == null || coefficients.isEmpty()) {
            throw new IllegalArgumentException("a commitment has at least one coefficient");
        }
        this.coefficients = List.copyOf(coefficients);
    }

    /** The threshold t: the polynomial has degree t - 1. */
    public int threshold() {
        return coefficients.size();
    }

    public List<GroupElement> coefficients() {
        return coefficients;
    }

    /** The committed constant term: the group public key (dealer) or the sender's part of it (DKG). */
    public GroupElement constantTerm() {
        return coefficients.get(0);
    }

    /** {@code sum C_k * id^k}: the public image of the share of {@code id} (derive_group_info). */
    public GroupElement verificationShareOf(ParticipantId id) {
        Scalar x = Ed25519Group.scalarOf(id.value());
        EdwardsPoint acc = EdwardsPoint.IDENTITY;
        for (int k = coefficients.size() - 1; k >= 0; k--) {
            acc = acc.multiply(x).add(coefficients.get(k).point());
        }
        return GroupElement.of(acc);
    }

    /** vss_verify: whether {@code share * G} equals the committed image at {@code id}. */
    public boolean verifies(ParticipantId id, SecretScalar share) {
        EdwardsPoint image = Ed25519Group.baseMul(share.scalar());
        return Ed25519Group.sameElement(image, verificationShareOf(id).point());
    }

    /** The coefficient-wise sum of several commitments of equal threshold (the DKG's group commitment). */
    public static VssCommitment sum(List<VssCommitment> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to sum");
        }
        int t = parts.get(0).threshold();
        List<GroupElement> summed = new ArrayList<>(t);
        for (int k = 0; k < t; k++) {
            EdwardsPoint acc = EdwardsPoint.IDENTITY;
            for (VssCommitment part : parts) {
                if (part.threshold() != t) {
                    throw new IllegalArgumentException("commitments of different thresholds");
                }
                acc = acc.add(part.coefficients.get(k).point());
            }
            summed.add(GroupElement.of(acc));
        }
        return new VssCommitment(summed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VssCommitment that && coefficients.equals(that.coefficients);
    }

    @Override
    public int hashCode() {
        return coefficients.hashCode();
    }

    @Override
    public String toString() {
        return "VssCommitment" + coefficients;
    }
}
