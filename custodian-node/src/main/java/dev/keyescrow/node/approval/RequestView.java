package dev.keyescrow.node.approval;

import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import java.util.List;

/** What a custodian sees of a request on this node (design: node API: a request view). */
public record RequestView(CanonicalRequest request, String canonical, String digest, byte[] coordinatorSignature,
                          RequestState state, List<String> approvers, int threshold) {
    public RequestView {
        approvers = List.copyOf(approvers);
        coordinatorSignature = coordinatorSignature.clone();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestView v && v.digest.equals(digest) && v.state == state
                && v.approvers.equals(approvers) && v.threshold == threshold;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(digest, state, approvers, threshold);
    }
}
