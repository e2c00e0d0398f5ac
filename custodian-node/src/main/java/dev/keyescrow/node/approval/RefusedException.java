package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.KeyEscrowException;

/** The node refused an input and changed nothing. The message names the problem with public values only. */
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
