package dev.keyescrow.core.frost;

import dev.keyescrow.core.error.KeyEscrowException;

/**
 * A DKG complaint: a participant's round-one package or round-two share fails its check.
 * Names the accused sender; the ceremony aborts. Carries no secret value.
 */
public final class DkgComplaintException extends KeyEscrowException {
    /** What the accused sent wrong. */
    public enum Reason {
        /** The Schnorr proof of knowledge of the constant term does not verify. */
        INVALID_PROOF,
        /** The round-one package has the wrong threshold, sender or version. */
        MALFORMED_PACKAGE,
        /** The round-two share does not match the sender's Feldman commitment. */
        SHARE_MISMATCH,
        /** No round-one package or round-two share arrived from the sender, or two did. */
        MISSING_OR_DUPLICATE
    }

    private final ParticipantId accused;
    private final Reason reason;

    public DkgComplaintException(ParticipantId accused, Reason reason) {
        super("DKG complaint against " + accused + ": " + reason);
        this.accused = accused;
        this.reason = reason;
    }

    public ParticipantId accused() {
        return accused;
    }

    public Reason reason() {
        return reason;
    }
}
