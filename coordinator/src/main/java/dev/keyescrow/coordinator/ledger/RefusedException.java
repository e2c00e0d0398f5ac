package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.error.KeyEscrowException;

/** A refused input or action, with its reason; nothing changed. The message holds public values only. */
public final class RefusedException extends KeyEscrowException {
    private final RefusalReason reason;

    public RefusedException(RefusalReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RefusalReason reason() {
        return reason;
    }
}
