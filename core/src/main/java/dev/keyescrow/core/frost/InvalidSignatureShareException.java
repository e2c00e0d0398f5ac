package dev.keyescrow.core.frost;

import dev.keyescrow.core.error.KeyEscrowException;

/** A signature share fails the check against its participant's verification share: names the participant. */
public final class InvalidSignatureShareException extends KeyEscrowException {
    private final ParticipantId culprit;

    public InvalidSignatureShareException(ParticipantId culprit) {
        super("signature share of " + culprit + " fails its verification share");
        this.culprit = culprit;
    }

    public ParticipantId culprit() {
        return culprit;
    }
}
