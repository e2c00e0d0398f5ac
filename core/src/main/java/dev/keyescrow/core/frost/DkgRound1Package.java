package dev.keyescrow.core.frost;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a DKG participant publishes in round one (signed by its node's identity key by the
 * caller): the Feldman commitment to its polynomial and the proof of knowledge of its
 * constant term. Encoding (version 1): version u8 || sender u8 || t u8 || t commitments of
 * 32 bytes || R 32 bytes || z 32 bytes.
 */
public record DkgRound1Package(ParticipantId sender, VssCommitment commitment, ProofOfKnowledge proof) {
    public static final int VERSION = 1;

    public DkgRound1Package {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(proof, "proof");
        if (commitment.threshold() > ParticipantId.MAX) {
            throw new IllegalArgumentException("threshold above " + ParticipantId.MAX);
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        out.write(sender.value());
        out.write(commitment.threshold());
        for (GroupElement c : commitment.coefficients()) {
            out.writeBytes(c.toBytes());
        }
        out.writeBytes(proof.commitment().toBytes());
        out.writeBytes(proof.response());
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException on any malformed field (the caller names the sender) */
    public static DkgRound1Package decode(byte[] encoded) {
        if (encoded == null || encoded.length < 3) {
            throw new IllegalArgumentException("DKG round-one package too short");
        }
        if ((encoded[0] & 0xff) != VERSION) {
            throw new IllegalArgumentException("unknown DKG round-one package version " + (encoded[0] & 0xff));
        }
        ParticipantId sender = ParticipantId.of(encoded[1] & 0xff);
        int t = encoded[2] & 0xff;
        if (t < 1 || encoded.length != 3 + 32 * t + 64) {
            throw new IllegalArgumentException("DKG round-one package has the wrong length for t=" + t);
        }
        List<GroupElement> coefficients = new ArrayList<>(t);
        int offset = 3;
        for (int k = 0; k < t; k++, offset += 32) {
            coefficients.add(GroupElement.fromBytes(Arrays.copyOfRange(encoded, offset, offset + 32)));
        }
        GroupElement r = GroupElement.fromBytes(Arrays.copyOfRange(encoded, offset, offset + 32));
        byte[] z = Arrays.copyOfRange(encoded, offset + 32, offset + 64);
        return new DkgRound1Package(sender, new VssCommitment(coefficients), new ProofOfKnowledge(r, z));
    }
}
