package dev.keyescrow.core.policy;

import dev.keyescrow.core.error.KeyEscrowException;

/** An answer that must not count, with the reason; nothing changed. Public values only. */
public final class AnswerRefusedException extends KeyEscrowException {
    /** Why the answer was refused; each maps to its own client error. */
    public enum Reason {
        WRONG_REQUEST,
        UNKNOWN_CUSTODIAN,
        BAD_SIGNATURE,
        EXPIRED,
        CLOSED
    }

    private final Reason reason;

    public AnswerRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
