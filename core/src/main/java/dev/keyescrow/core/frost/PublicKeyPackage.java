package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.EdwardsPoint;
import cafe.cryptography.curve25519.Scalar;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What everyone may know of a FROST key: the group public key, the threshold and every
 * participant's verification share (RFC 9591's PublicKeyPackage, pinned by the manifest).
 */
public final class PublicKeyPackage {
    private final GroupElement groupPublicKey;
    private final int threshold;
    private final SortedMap<ParticipantId, GroupElement> verificationShares;

    public PublicKeyPackage(GroupElement groupPublicKey, int threshold,
                            Map<ParticipantId, GroupElement> verificationShares) {
        this.groupPublicKey = Objects.requireNonNull(groupPublicKey, "groupPublicKey");
        this.verificationShares = Collections.unmodifiableSortedMap(new TreeMap<>(verificationShares));
        if (threshold < 1 || threshold > this.verificationShares.size()) {
            throw new IllegalArgumentException("threshold must be 1 to the number of participants");
        }
        this.threshold = threshold;
    }

    /** The package a Feldman commitment implies for participants 1..n. */
    public static PublicKeyPackage fromCommitment(VssCommitment commitment, int participants) {
        SortedMap<ParticipantId, GroupElement> shares = new TreeMap<>();
        for (int i = 1; i <= participants; i++) {
            ParticipantId id = ParticipantId.of(i);
            shares.put(id, commitment.verificationShareOf(id));
        }
        return new PublicKeyPackage(commitment.constantTerm(), commitment.threshold(), shares);
    }

    public GroupElement groupPublicKey() {
        return groupPublicKey;
    }

    public int threshold() {
        return threshold;
    }

    public SortedMap<ParticipantId, GroupElement> verificationShares() {
        return verificationShares;
    }

    /** The verification share of {@code id}, or an exception if it is not a participant. */
    public GroupElement verificationShareOf(ParticipantId id) {
        GroupElement share = verificationShares.get(id);
        if (share == null) {
            throw new IllegalArgumentException(id + " is not a participant of this key");
        }
        return share;
    }

    /**
     * Whether the verification shares lie on one polynomial of degree t - 1 whose value at 0
     * is the group public key: interpolates the first t shares "in the exponent" at 0 and at
     * every other identifier. What anyone can check of a manifest without any secret.
     */
    public boolean isConsistent() {
        List<ParticipantId> base = new ArrayList<>(verificationShares.keySet()).subList(0, threshold);
        if (!interpolate(base, Scalar.ZERO).equals(groupPublicKey.point())) {
            return false;
        }
        for (ParticipantId id : verificationShares.keySet()) {
            if (!base.contains(id)
                    && !interpolate(base, Ed25519Group.scalarOf(id.value())).equals(verificationShareOf(id).point())) {
                return false;
            }
        }
        return true;
    }

    private EdwardsPoint interpolate(List<ParticipantId> base, Scalar x) {
        EdwardsPoint acc = EdwardsPoint.IDENTITY;
        for (ParticipantId id : base) {
            acc = acc.add(verificationShares.get(id).point().multiply(Lagrange.at(x, id, base)));
        }
        return acc;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicKeyPackage that && groupPublicKey.equals(that.groupPublicKey)
                && threshold == that.threshold && verificationShares.equals(that.verificationShares);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupPublicKey, threshold, verificationShares);
    }

    @Override
    public String toString() {
        return "PublicKeyPackage[" + groupPublicKey + ", " + threshold + " of " + verificationShares.size() + "]";
    }
}
