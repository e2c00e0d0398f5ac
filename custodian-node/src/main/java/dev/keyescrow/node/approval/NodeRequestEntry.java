package dev.keyescrow.node.approval;

import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One admitted request as the ledger keeps it: its node's own tally, the answers given here, its releases. */
final class NodeRequestEntry {
    final CanonicalRequest request;
    final String canonical;
    // computed once: views and due-work scans ask for it on every answer
    final String digest;
    final byte[] coordinatorSignature;
    QuorumTally tally;
    final Map<Integer, NodeEvent.ShareReleased> released = new TreeMap<>();
    final List<Approval> localAnswers = new ArrayList<>();
    boolean cancelled;

    NodeRequestEntry(CanonicalRequest request, String canonical, byte[] coordinatorSignature, QuorumTally tally) {
        this.request = request;
        this.canonical = canonical;
        this.digest = request.digest();
        this.coordinatorSignature = coordinatorSignature.clone();
        this.tally = tally;
    }

    RequestState state(Instant now) {
        if (cancelled) {
            return RequestState.CANCELLED;
        }
        return switch (tally.verdict()) {
            case APPROVED -> RequestState.APPROVED;
            case DENIED -> RequestState.DENIED;
            case OPEN -> request.isExpiredAt(now) ? RequestState.EXPIRED : RequestState.PENDING;
        };
    }
}
