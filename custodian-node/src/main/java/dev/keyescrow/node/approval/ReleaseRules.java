package dev.keyescrow.node.approval;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.request.CanonicalRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Share releases: a release is due only when this node itself counted t approvals, for an
 * operation that releases, of a share held here and not released yet for that request; a
 * share of a FROST key is never due.
 */
final class ReleaseRules {
    private final String nodeId;
    private final NodeRequestRules requests;
    private final NodeKeyVersionRules keyVersions;
    private final NodeShareRules shares;
    /** Requests that may still owe a release from this node ({@link #allDueReleases} prunes it). */
    private final Set<String> unsettled = new LinkedHashSet<>();

    ReleaseRules(String nodeId, NodeRequestRules requests, NodeKeyVersionRules keyVersions, NodeShareRules shares) {
        this.nodeId = nodeId;
        this.requests = requests;
        this.keyVersions = keyVersions;
        this.shares = shares;
    }

    /** Takes note of a newly admitted request that may come to owe releases. */
    void admitted(CanonicalRequest request) {
        if (request.operation().needsRelease()) {
            unsettled.add(request.requestId());
        }
    }

    boolean validate(NodeEvent.ShareReleased s) throws NodeRefusedException {
        NodeRequestEntry entry = requests.entry(s.requestId());
        if (!dueReleases(entry).contains(s.index())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "share " + s.index() + " is not due for release for "
                    + s.requestId());
        }
        return true;
    }

    void apply(NodeEvent.ShareReleased s) throws NodeRefusedException {
        requests.entry(s.requestId()).released.putIfAbsent(s.index(), s);
    }

    List<Integer> dueReleases(String requestId) throws NodeRefusedException {
        return dueReleases(requests.entry(requestId));
    }

    /**
     * Requests whose releases this node owes now, with their due indices, by request id. Only
     * unsettled requests are looked at, and those found settled for good are dropped from that
     * set here, so the cost follows the open requests, not the node's whole history.
     */
    Map<String, List<Integer>> allDueReleases() {
        Map<String, List<Integer>> due = new TreeMap<>();
        for (Iterator<String> it = unsettled.iterator(); it.hasNext(); ) {
            NodeRequestEntry entry = requests.admitted(it.next());
            List<Integer> indices = dueReleases(entry);
            if (!indices.isEmpty()) {
                due.put(entry.request.requestId(), indices);
            } else if (isSettled(entry)) {
                it.remove();
            }
        }
        return due;
    }

    /** Releases this node made for the request, by index. */
    List<NodeEvent.ShareReleased> releases(String requestId) throws NodeRefusedException {
        return List.copyOf(requests.entry(requestId).released.values());
    }

    /**
     * Whether {@code entry} can never owe a release again: cancelled, denied (denials only
     * grow), or approved with nothing left to release (shares are only ever removed from a
     * node once its requests exist).
     */
    private static boolean isSettled(NodeRequestEntry entry) {
        QuorumTally.Verdict verdict = entry.tally.verdict();
        return entry.cancelled || verdict == QuorumTally.Verdict.DENIED || verdict == QuorumTally.Verdict.APPROVED;
    }

    private List<Integer> dueReleases(NodeRequestEntry entry) {
        List<Integer> due = new ArrayList<>();
        if (entry.cancelled || !entry.request.operation().needsRelease()
                || entry.tally.verdict() != QuorumTally.Verdict.APPROVED) {
            return due;
        }
        Manifest manifest = keyVersions.find(entry.request.keyId(), entry.request.version());
        if (manifest.scheme() == KeyScheme.FROST) {
            return due; // never admitted (see NodeRequestRules); and never due, should a journal say otherwise
        }
        for (Holder h : manifest.holders()) {
            if (h.nodeId().equals(nodeId) && shares.holds(manifest.keyId(), manifest.version(), h.index())
                    && !entry.released.containsKey(h.index())) {
                due.add(h.index());
            }
        }
        return due;
    }
}
