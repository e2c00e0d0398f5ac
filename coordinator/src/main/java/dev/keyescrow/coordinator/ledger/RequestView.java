package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of one request as the coordinator sees it: the request and its signature, its
 * state (EXPIRED once its time is over, even before that is journaled), the approvers
 * counted, the releases accepted (index to node) and refused, and the nodes that shredded.
 * Sets and maps are sorted, so what is shown is stable.
 */
public record RequestView(CanonicalRequest request, String canonical, byte[] coordinatorSignature,
                          RequestState state, List<Transition> history, Set<String> approvers, Set<String> deniers,
                          int threshold, Map<Integer, String> releases, List<BadRelease> badReleases,
                          Set<String> shreddedNodes, List<byte[]> signatures) {
    public RequestView {
        coordinatorSignature = coordinatorSignature.clone();
        history = List.copyOf(history);
        approvers = Collections.unmodifiableSortedSet(new TreeSet<>(approvers));
        deniers = Collections.unmodifiableSortedSet(new TreeSet<>(deniers));
        releases = Collections.unmodifiableSortedMap(new TreeMap<>(releases));
        badReleases = List.copyOf(badReleases);
        shreddedNodes = Collections.unmodifiableSortedSet(new TreeSet<>(shreddedNodes));
        signatures = signatures.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    /** SIGN: the signatures made, in message order (empty until EXECUTED). */
    @Override
    public List<byte[]> signatures() {
        return signatures.stream().map(byte[]::clone).toList();
    }

    public String requestId() {
        return request.requestId();
    }

    public String digest() {
        return request.digest();
    }

    @Override
    public String toString() {
        return "RequestView[" + request.requestId() + " " + state + "]";
    }
}
