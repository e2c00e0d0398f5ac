package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.core.error.KeyEscrowException;

/**
 * A release that must not be combined, named by share index and node (as the message
 * claims them), with the problem. Public values only: never the share.
 */
public final class BadReleaseException extends KeyEscrowException {
    private final int index;
    private final String nodeId;
    private final boolean signedByNode;

    public BadReleaseException(int index, String nodeId, String problem, boolean signedByNode) {
        super(problem);
        this.index = index;
        this.nodeId = nodeId;
        this.signedByNode = signedByNode;
    }

    /**
     * Whether the node's pinned identity key signed this release: then it is evidence against
     * that node and is journaled. An unsigned or forged one could come from any member and
     * is only logged (bounded), so a rogue member cannot fill the journal.
     */
    public boolean signedByNode() {
        return signedByNode;
    }

    public int index() {
        return index;
    }

    public String nodeId() {
        return nodeId;
    }
}
