package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * SIGN (FROST keys): this node takes part only after its own count of t approvals, for a share
 * it holds, and commits once per request, attempt and share (its nonces are spent once the
 * commitment is journaled); it signs only over its own journaled commitment, once.
 */
final class SigningRules {
    private final String nodeId;
    private final NodeRequestRules requests;
    private final NodeKeyVersionRules keyVersions;
    private final NodeShareRules shares;
    /** SIGN requests (FROST keys) this node admitted: round one may be due for them. */
    private final Set<String> signing = new LinkedHashSet<>();
    /** This node's journaled commitments and signature shares, by {@code requestId/attempt/index}. */
    private final Map<String, FrostCommitmentMessage> commitments = new TreeMap<>();
    private final Map<String, FrostShareMessage> signatureShares = new TreeMap<>();

    SigningRules(String nodeId, NodeRequestRules requests, NodeKeyVersionRules keyVersions, NodeShareRules shares) {
        this.nodeId = nodeId;
        this.requests = requests;
        this.keyVersions = keyVersions;
        this.shares = shares;
    }

    /** Takes note of a newly admitted request that may come to need round one. */
    void admitted(CanonicalRequest request) {
        if (request.operation().signs()) {
            signing.add(request.requestId());
        }
    }

    boolean validate(NodeEvent.FrostCommitted f) throws NodeRefusedException {
        FrostCommitmentMessage c = commitmentOf(f);
        RequestParams.Sign params = signingParams(c.requestId(), c.requestDigest(), c.nodeId(), c.index());
        if (c.commitments().size() != params.count()) {
            throw new NodeRefusedException(NodeRefusalReason.CONFLICT, "a commitment for " + c.requestId()
                    + " must have one entry per message (" + params.count() + ")");
        }
        FrostCommitmentMessage existing = commitments.get(c.key());
        if (existing != null && !Arrays.equals(existing.encode(), c.encode())) {
            // its nonces are spent: a second commitment for the same attempt is never made
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "share " + c.index() + " committed for "
                    + c.requestId() + " attempt " + c.attempt() + " already");
        }
        return existing == null;
    }

    boolean validate(NodeEvent.FrostSigned f) throws NodeRefusedException {
        FrostShareMessage m = shareOf(f);
        signingParams(m.requestId(), m.requestDigest(), m.nodeId(), m.index());
        if (!commitments.containsKey(m.key())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "no commitment of share " + m.index() + " for "
                    + m.requestId() + " attempt " + m.attempt());
        }
        FrostShareMessage existing = signatureShares.get(m.key());
        if (existing != null && !Arrays.equals(existing.encode(), m.encode())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "share " + m.index() + " signed for "
                    + m.requestId() + " attempt " + m.attempt() + " already");
        }
        return existing == null;
    }

    void apply(NodeEvent.FrostCommitted f) throws NodeRefusedException {
        FrostCommitmentMessage c = commitmentOf(f);
        commitments.putIfAbsent(c.key(), c);
    }

    void apply(NodeEvent.FrostSigned f) throws NodeRefusedException {
        FrostShareMessage m = shareOf(f);
        signatureShares.putIfAbsent(m.key(), m);
    }

    /**
     * The params of a SIGN request this node takes part in for share {@code index}: the request
     * is a SIGN with this digest, approved by this node's own count and not cancelled, and the
     * share is this node's (a holder of the version on this node, held here).
     */
    RequestParams.Sign signingParams(String requestId, String digest, String node, int index)
            throws NodeRefusedException {
        NodeRequestEntry entry = requests.entry(requestId);
        if (!(entry.request.params() instanceof RequestParams.Sign params) || !entry.digest.equals(digest)) {
            throw new NodeRefusedException(NodeRefusalReason.WRONG_REQUEST, requestId + " is no SIGN request of that digest");
        }
        if (entry.cancelled || entry.tally.verdict() != QuorumTally.Verdict.APPROVED) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, requestId + " is not approved by t custodians at node "
                    + nodeId + "; this node takes no part in its signature");
        }
        Manifest manifest = keyVersions.manifest(entry.request.keyId(), entry.request.version());
        boolean ours = node.equals(nodeId) && manifest.holders().stream().anyMatch(h -> h.index() == index
                && h.nodeId().equals(nodeId)) && shares.holds(manifest.keyId(), manifest.version(), index);
        if (!ours) {
            throw new NodeRefusedException(NodeRefusalReason.NOT_ON_THIS_NODE, "share " + index + " of " + manifest.keyId()
                    + " v" + manifest.version() + " is not held by node " + nodeId);
        }
        return params;
    }

    /**
     * SIGN requests approved here whose first attempt this node has not committed to yet, with
     * the share indices it holds for them; requests found settled are dropped from the scan.
     */
    Map<String, List<Integer>> dueCommitments() {
        Map<String, List<Integer>> due = new TreeMap<>();
        for (Iterator<String> it = signing.iterator(); it.hasNext(); ) {
            NodeRequestEntry entry = requests.admitted(it.next());
            if (entry.cancelled || entry.tally.verdict() == QuorumTally.Verdict.DENIED) {
                it.remove();
                continue;
            }
            if (entry.tally.verdict() != QuorumTally.Verdict.APPROVED) {
                continue;
            }
            Manifest manifest = keyVersions.find(entry.request.keyId(), entry.request.version());
            List<Integer> indices = new ArrayList<>();
            for (Holder h : manifest.holders()) {
                if (h.nodeId().equals(nodeId) && shares.holds(manifest.keyId(), manifest.version(), h.index())
                        && !commitments.containsKey(entry.request.requestId() + "/1/" + h.index())) {
                    indices.add(h.index());
                }
            }
            if (indices.isEmpty()) {
                it.remove();
            } else {
                due.put(entry.request.requestId(), indices);
            }
        }
        return due;
    }

    Optional<FrostCommitmentMessage> commitment(String requestId, int attempt, int index) {
        return Optional.ofNullable(commitments.get(requestId + "/" + attempt + "/" + index));
    }

    Optional<FrostShareMessage> share(String requestId, int attempt, int index) {
        return Optional.ofNullable(signatureShares.get(requestId + "/" + attempt + "/" + index));
    }

    /** Every commitment (or signature share) this node journaled for {@code requestId}, encoded. */
    List<byte[]> messages(String requestId, boolean ofShares) {
        String prefix = requestId + "/";
        List<byte[]> out = new ArrayList<>();
        if (ofShares) {
            signatureShares.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.add(v.encode());
                }
            });
        } else {
            commitments.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.add(v.encode());
                }
            });
        }
        return out;
    }

    /** Adds the journaled rounds to a state digest: what makes a nonce spent must be vouched for too. */
    void digest(StateDigest d) {
        commitments.values().forEach(c -> d.field("frost-committed").field(c.encode()));
        signatureShares.values().forEach(m -> d.field("frost-signed").field(m.encode()));
    }

    private static FrostCommitmentMessage commitmentOf(NodeEvent.FrostCommitted f) throws NodeRefusedException {
        try {
            return FrostCommitmentMessage.decode(f.message().getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new NodeRefusedException(NodeRefusalReason.MALFORMED, e.getMessage());
        }
    }

    private static FrostShareMessage shareOf(NodeEvent.FrostSigned f) throws NodeRefusedException {
        try {
            return FrostShareMessage.decode(f.message().getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new NodeRefusedException(NodeRefusalReason.MALFORMED, e.getMessage());
        }
    }
}
