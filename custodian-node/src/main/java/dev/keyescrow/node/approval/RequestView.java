package dev.keyescrow.node.approval;

import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import java.util.List;

/** What a custodian sees of a request on this node (DESIGN.md, node API: a request view). */
public record RequestView(CanonicalRequest request, String canonical, String digest, RequestState state,
                          List<String> approvers, int threshold) {
    public RequestView {
        approvers = List.copyOf(approvers);
    }
}
