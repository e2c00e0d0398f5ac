package dev.keyescrow.node.approval;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import java.util.List;

/**
 * What a custodian sees of a request on this node (node API: a request view).
 *
 * @param kcv          the key version's check value from its manifest, or null if the node has no manifest
 * @param holdersHere  the version's holders whose share is on this node: who may answer here, with the
 *                     public key each was pinned with (the web page checks a key file against it)
 */
public record NodeRequestView(CanonicalRequest request, String canonical, String digest, byte[] coordinatorSignature,
                          RequestState state, List<String> approvers, int threshold, String kcv,
                          List<Holder> holdersHere) {
    public NodeRequestView {
        approvers = List.copyOf(approvers);
        coordinatorSignature = coordinatorSignature.clone();
        holdersHere = List.copyOf(holdersHere);
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeRequestView v && v.digest.equals(digest) && v.state == state
                && v.approvers.equals(approvers) && v.threshold == threshold;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(digest, state, approvers, threshold);
    }
}
