package dev.keyescrow.core.integrity;

import dev.keyescrow.core.frost.GroupElement;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.frost.PublicKeyPackage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a FROST key's manifest pins besides the holders: the group public key (the Ed25519
 * public key every signature verifies under) and each holder's verification share
 * Y_i = s_i·G, in index order. Every element is a canonical point of the prime-order group.
 * Whether the shares lie on one polynomial of degree t - 1 through the group key is checked
 * by {@link #isConsistentFor(int)}, which needs the threshold. A key made by distributed key
 * generation also pins the SHA-256 digest of its DKG transcript ({@code DkgTranscript}); a
 * dealt key has none (null).
 */
public record FrostPublicKeys(byte[] groupPublicKey, List<byte[]> verificationShares, byte[] dkgTranscript) {
    public static final int ELEMENT_LENGTH = 32;
    public static final int TRANSCRIPT_LENGTH = 32;

    /** The keys of a dealt FROST key (no DKG transcript). */
    public FrostPublicKeys(byte[] groupPublicKey, List<byte[]> verificationShares) {
        this(groupPublicKey, verificationShares, null);
    }

    public FrostPublicKeys {
        Objects.requireNonNull(groupPublicKey, "groupPublicKey");
        GroupElement.fromBytes(groupPublicKey);
        groupPublicKey = groupPublicKey.clone();
        List<byte[]> copies = new ArrayList<>();
        for (byte[] share : verificationShares) {
            GroupElement.fromBytes(share);
            copies.add(share.clone());
        }
        verificationShares = List.copyOf(copies);
        if (dkgTranscript != null) {
            if (dkgTranscript.length != TRANSCRIPT_LENGTH) {
                throw new IllegalArgumentException("a DKG transcript digest is " + TRANSCRIPT_LENGTH + " bytes");
            }
            dkgTranscript = dkgTranscript.clone();
        }
    }

    /** The DKG transcript digest, or null for a dealt key. */
    @Override
    public byte[] dkgTranscript() {
        return dkgTranscript == null ? null : dkgTranscript.clone();
    }

    /** The same keys, pinning {@code transcript} as the DKG that made them. */
    public FrostPublicKeys withDkgTranscript(byte[] transcript) {
        return new FrostPublicKeys(groupPublicKey, verificationShares, transcript);
    }

    @Override
    public byte[] groupPublicKey() {
        return groupPublicKey.clone();
    }

    @Override
    public List<byte[]> verificationShares() {
        return verificationShares.stream().map(byte[]::clone).toList();
    }

    /** The verification share of holder {@code index} (1-based). */
    public byte[] verificationShareOf(int index) {
        return verificationShares.get(index - 1).clone();
    }

    /** The package the FROST protocol checks signature shares against. */
    public PublicKeyPackage toPackage(int threshold) {
        TreeMap<ParticipantId, GroupElement> shares = new TreeMap<>();
        for (int i = 0; i < verificationShares.size(); i++) {
            shares.put(ParticipantId.of(i + 1), GroupElement.fromBytes(verificationShares.get(i)));
        }
        return new PublicKeyPackage(GroupElement.fromBytes(groupPublicKey), threshold, shares);
    }

    /** Whether the pinned shares lie on one polynomial of degree t - 1 whose value at 0 is the group key. */
    public boolean isConsistentFor(int threshold) {
        return toPackage(threshold).isConsistent();
    }

    /** Builds the pinned keys from a public key package of participants 1..n. */
    public static FrostPublicKeys of(PublicKeyPackage keys) {
        List<byte[]> shares = new ArrayList<>();
        int expected = 1;
        for (var e : keys.verificationShares().entrySet()) {
            if (e.getKey().value() != expected++) {
                throw new IllegalArgumentException("participants must be numbered 1..n");
            }
            shares.add(e.getValue().toBytes());
        }
        return new FrostPublicKeys(keys.groupPublicKey().toBytes(), shares);
    }

    List<Object> verificationSharesJson() {
        List<Object> out = new ArrayList<>();
        for (byte[] share : verificationShares) {
            out.add(Base64.getEncoder().encodeToString(share));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FrostPublicKeys other) || other.verificationShares.size() != verificationShares.size()
                || !Arrays.equals(other.groupPublicKey, groupPublicKey)
                || !Arrays.equals(other.dkgTranscript, dkgTranscript)) {
            return false;
        }
        for (int i = 0; i < verificationShares.size(); i++) {
            if (!Arrays.equals(other.verificationShares.get(i), verificationShares.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 31 * Arrays.hashCode(groupPublicKey) + Arrays.hashCode(dkgTranscript);
        for (byte[] share : verificationShares) {
            h = 31 * h + Arrays.hashCode(share);
        }
        return h;
    }

    @Override
    public String toString() {
        return "FrostPublicKeys[" + verificationShares.size() + " verification shares]";
    }
}
