package dev.keyescrow.node.cluster;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.wire.FrostCallMessage;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.vault.NodeVault;
import java.io.IOException;

/**
 * The coordinator's calls for SIGN rounds: commit for a new attempt, or sign over the named
 * commitments. The vault's {@code FrostRounds} checks the call and the node's own count; what
 * it returns is journaled already and published here.
 */
final class FrostCalls {
    private final NodeService service;
    private final NodeVault vault;
    private final NodePublisher publisher;
    private final Refusals refusals;

    FrostCalls(NodeService service, NodeVault vault, NodePublisher publisher, Refusals refusals) {
        this.service = service;
        this.vault = vault;
        this.publisher = publisher;
        this.refusals = refusals;
    }

    void onCall(byte[] value) {
        try {
            var call = FrostCallMessage.decode(value);
            if (!service.holdsRequest(call.requestId())) {
                return;
            }
            if (call.isRoundTwo()) {
                if (call.signers().stream().noneMatch(c -> c.nodeId().equals(service.nodeId()))) {
                    return;
                }
                for (var share : vault.frost().sign(call)) {
                    publisher.signatureShare(share.encode());
                }
            } else {
                for (var commitment : vault.frost().commit(call)) {
                    publisher.commitment(commitment.encode());
                }
            }
        } catch (IOException | KeyEscrowException e) {
            refusals.refuse("round call", e);
        }
    }
}
