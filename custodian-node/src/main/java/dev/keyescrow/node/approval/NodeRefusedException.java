package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.KeyEscrowException;

/** The node refused an input and changed nothing. The message names the problem with public values only. */
public final class NodeRefusedException extends KeyEscrowException {
    private final NodeRefusalReason reason;

    public NodeRefusedException(NodeRefusalReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public NodeRefusalReason reason() {
        return reason;
    }
}
