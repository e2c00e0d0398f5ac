package dev.keyescrow.core.frost;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The commitments of the participants of one signing session, sorted by identifier,
 * identifiers distinct (RFC 9591 section 4.3, encode_group_commitment_list).
 */
public final class CommitmentList {
    private final List<SigningCommitment> commitments;

    /** @throws IllegalArgumentException if empty, unsorted, or an identifier repeats */
    public CommitmentList(List<SigningCommitment> commitments) {
        if (commitments == null || commitments.isEmpty()) {
            throw new IllegalArgumentException("a commitment list is not empty");
        }
        for (int i = 1; i < commitments.size(); i++) {
            if (commitments.get(i - 1).id().compareTo(commitments.get(i).id()) >= 0) {
                throw new IllegalArgumentException("commitments must be sorted by identifier, without repeats");
            }
        }
        this.commitments = List.copyOf(commitments);
    }

    /** Sorts {@code commitments} first; still refuses a repeated identifier. */
    public static CommitmentList sorted(List<SigningCommitment> commitments) {
        List<SigningCommitment> copy = new ArrayList<>(commitments);
        copy.sort(Comparator.comparing(SigningCommitment::id));
        return new CommitmentList(copy);
    }

    public List<SigningCommitment> commitments() {
        return commitments;
    }

    public int size() {
        return commitments.size();
    }

    public List<ParticipantId> participants() {
        return commitments.stream().map(SigningCommitment::id).toList();
    }

    public Optional<SigningCommitment> commitmentOf(ParticipantId id) {
        return commitments.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** identifier || hiding || binding for each participant, in order. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(commitments.size() * 96);
        for (SigningCommitment c : commitments) {
            out.writeBytes(c.id().toScalarBytes());
            out.writeBytes(c.hiding().toBytes());
            out.writeBytes(c.binding().toBytes());
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CommitmentList that && commitments.equals(that.commitments);
    }

    @Override
    public int hashCode() {
        return commitments.hashCode();
    }

    @Override
    public String toString() {
        return "CommitmentList" + participants();
    }
}
