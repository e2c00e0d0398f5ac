package dev.keyescrow.core.frost;

import java.util.Objects;

/** A participant's round-one output: the commitments to its hiding and binding nonces. Public. */
public record SigningCommitment(ParticipantId id, GroupElement hiding, GroupElement binding) {
    public SigningCommitment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hiding, "hiding");
        Objects.requireNonNull(binding, "binding");
    }
}
