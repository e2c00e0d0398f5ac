package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.AnswerOutcome;
import dev.keyescrow.core.policy.AnswerRefusedException;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.request.ReshareHolder;
import dev.keyescrow.core.wire.CancelMessage;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Requests and their answers: a request only with the pinned coordinator's signature, for a
 * pinned version, within the time limits; an answer only for a known, open, unexpired request,
 * from a custodian pinned in that version (whose share is on this node, if given here), with
 * a valid signature; a cancel only with the coordinator's signature. Each request carries this
 * node's own tally.
 */
final class NodeRequestRules {
    private final String nodeId;
    private final PinnedCoordinator coordinator;
    private final RequestTimeLimits timeLimits;
    private final NodeKeyVersionRules keyVersions;
    private final NodeShareRules shares;
    private final Map<String, NodeRequestEntry> requests = new LinkedHashMap<>();
    /**
     * The answer the last validation checked (signature included): applying that same answer
     * object right after does not verify it again. Replay, which has no validation before it,
     * checks every answer.
     */
    private QuorumTally.CheckedAnswer lastChecked;
    private String lastParsedCanonical;
    private CanonicalRequest lastParsed;

    NodeRequestRules(String nodeId, PinnedCoordinator coordinator, RequestTimeLimits timeLimits,
                 NodeKeyVersionRules keyVersions, NodeShareRules shares) {
        this.nodeId = nodeId;
        this.coordinator = coordinator;
        this.timeLimits = timeLimits;
        this.keyVersions = keyVersions;
        this.shares = shares;
    }

    boolean validate(NodeEvent.RequestAdmitted r, Instant now) throws NodeRefusedException {
        CanonicalRequest request = parse(r.canonical());
        coordinator.verify(Kind.REQUEST, request.digest(), r.coordinatorSignature(), "request");
        NodeRequestEntry existing = requests.get(request.requestId());
        if (existing != null) {
            if (!existing.request.digest().equals(request.digest())) {
                throw new NodeRefusedException(NodeRefusalReason.CLOSED, "request " + request.requestId()
                        + " exists with another digest");
            }
            return false;
        }
        // checked at admission only: replay applies what was admitted, whatever the clock says then
        timeLimits.check(request, now);
        Manifest manifest = keyVersions.manifest(request.keyId(), request.version());
        if (!keyVersions.isPinned(request.keyId(), request.version())) {
            throw new NodeRefusedException(NodeRefusalReason.NOT_PINNED, request.keyId() + " v" + request.version()
                    + " is not countersigned by every custodian yet");
        }
        if (request.isExpiredAt(now)) {
            throw new NodeRefusedException(NodeRefusalReason.EXPIRED, "request " + request.requestId() + " has expired");
        }
        if (request.params() instanceof RequestParams.Reshare reshare) {
            requireNoNodeHoldsAQuorum(request.requestId(), reshare);
        }
        if (request.operation().signs() && manifest.scheme() != KeyScheme.FROST) {
            throw new NodeRefusedException(NodeRefusalReason.CONFLICT, "SIGN of " + request.keyId() + " v"
                    + request.version() + " refused: only a FROST key signs by quorum");
        }
        if (request.operation().needsRelease() && manifest.scheme() == KeyScheme.FROST) {
            // t scalar shares interpolate to the group secret: a FROST share is never released,
            // whoever signed the request (the coordinator's own refusal is not what keeps it whole)
            throw new NodeRefusedException(NodeRefusalReason.CONFLICT, request.operation() + " of " + request.keyId()
                    + " v" + request.version() + " would release shares of a FROST key, which is never rebuilt");
        }
        return true;
    }

    boolean validate(NodeEvent.AnswerAccepted a, Instant now) throws NodeRefusedException {
        return answerOutcome(a.approval(), a.local(), now) != AnswerOutcome.REPEATED;
    }

    boolean validate(NodeEvent.RequestCancelled c) throws NodeRefusedException {
        NodeRequestEntry entry = entry(c.requestId());
        String digest = new CancelMessage(c.requestId(), entry.request.digest(), c.coordinatorSignature()).digest();
        coordinator.verify(Kind.CANCEL, digest, c.coordinatorSignature(), "cancellation");
        return !entry.cancelled;
    }

    /** @return the request if this admitted it, null for a repeat */
    CanonicalRequest apply(NodeEvent.RequestAdmitted r) throws NodeRefusedException {
        CanonicalRequest request = parse(r.canonical());
        Manifest manifest = keyVersions.manifest(request.keyId(), request.version());
        NodeRequestEntry added = new NodeRequestEntry(request, r.canonical(), r.coordinatorSignature(),
                QuorumTally.start(request, manifest));
        return requests.putIfAbsent(request.requestId(), added) == null ? request : null;
    }

    void apply(NodeEvent.AnswerAccepted a) throws NodeRefusedException, AnswerRefusedException {
        NodeRequestEntry entry = entry(a.approval().requestId());
        // the journaled answer was checked when it arrived; replay must not depend on the clock
        QuorumTally.CheckedAnswer checked = lastChecked;
        lastChecked = null;
        entry.tally = checked != null && checked.approval() == a.approval() && entry.tally.accepts(checked)
                ? entry.tally.with(checked) : entry.tally.with(a.approval(), entry.request.createdAt());
        if (a.local()) {
            entry.localAnswers.add(a.approval());
        }
    }

    void apply(NodeEvent.RequestCancelled c) throws NodeRefusedException {
        entry(c.requestId()).cancelled = true;
    }

    /**
     * What accepting {@code approval} would do; all the checks of the approval contract. A
     * {@code local} answer (given at this node) must come from a custodian whose share is here.
     */
    AnswerOutcome answerOutcome(Approval approval, boolean local, Instant now) throws NodeRefusedException {
        NodeRequestEntry entry = entry(approval.requestId());
        RequestState state = entry.state(now);
        if (state == RequestState.EXPIRED) {
            throw new NodeRefusedException(NodeRefusalReason.EXPIRED, "request " + approval.requestId() + " expired at "
                    + entry.request.expiresAt());
        }
        if (state.isTerminal()) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "request " + approval.requestId() + " is " + state);
        }
        Manifest manifest = keyVersions.manifest(entry.request.keyId(), entry.request.version());
        Holder holder = NodeKeyVersionRules.holderOf(manifest, approval.custodianId());
        if (local && (!holder.nodeId().equals(nodeId)
                || !shares.holds(manifest.keyId(), manifest.version(), holder.index()))) {
            throw new NodeRefusedException(NodeRefusalReason.NOT_ON_THIS_NODE, "the share of custodian "
                    + approval.custodianId() + " is not on node " + nodeId + "; answer at the node that holds it");
        }
        try {
            QuorumTally.CheckedAnswer checked = lastChecked != null && lastChecked.approval() == approval
                    && entry.tally.accepts(lastChecked) ? lastChecked : entry.tally.check(approval, now);
            lastChecked = checked;
            return entry.tally.outcomeOf(checked);
        } catch (AnswerRefusedException e) {
            throw new NodeRefusedException(switch (e.reason()) {
                case WRONG_REQUEST -> NodeRefusalReason.WRONG_REQUEST;
                case UNKNOWN_CUSTODIAN -> NodeRefusalReason.UNKNOWN_CUSTODIAN;
                case BAD_SIGNATURE -> NodeRefusalReason.BAD_SIGNATURE;
                case EXPIRED -> NodeRefusalReason.EXPIRED;
                case CLOSED -> NodeRefusalReason.CLOSED;
            }, e.getMessage());
        }
    }

    NodeRequestEntry entry(String requestId) throws NodeRefusedException {
        NodeRequestEntry entry = requests.get(requestId);
        if (entry == null) {
            throw new NodeRefusedException(NodeRefusalReason.UNKNOWN_REQUEST, "no request " + requestId + " on node " + nodeId);
        }
        return entry;
    }

    /** The entry of a request this ledger admitted (the due-work scans hold only such ids). */
    NodeRequestEntry admitted(String requestId) {
        return requests.get(requestId);
    }

    boolean holds(String requestId) {
        return requests.containsKey(requestId);
    }

    /** The custodians who may answer {@code requestId}: the holders in its key version's manifest. */
    List<String> custodiansOf(String requestId) throws NodeRefusedException {
        NodeRequestEntry entry = entry(requestId);
        return keyVersions.manifest(entry.request.keyId(), entry.request.version()).holders().stream()
                .map(Holder::custodianId).toList();
    }

    /** The id of the request an admission carries (parsed once with its validation). */
    String requestIdOf(NodeEvent.RequestAdmitted admitted) throws NodeRefusedException {
        return parse(admitted.canonical()).requestId();
    }

    NodeRequestView view(String requestId, Instant now) throws NodeRefusedException {
        return viewOf(entry(requestId), now);
    }

    /** Every request, oldest first, optionally only those in {@code state}. */
    List<NodeRequestView> views(RequestState state, Instant now) {
        List<NodeRequestView> out = new ArrayList<>();
        for (NodeRequestEntry entry : requests.values()) {
            RequestState s = entry.state(now);
            if (state == null || s == state) {
                out.add(viewOf(entry, now));
            }
        }
        return out;
    }

    private NodeRequestView viewOf(NodeRequestEntry entry, Instant now) {
        Manifest m = keyVersions.find(entry.request.keyId(), entry.request.version());
        return new NodeRequestView(entry.request, entry.canonical, entry.digest, entry.coordinatorSignature,
                entry.state(now), List.copyOf(entry.tally.approvers()), entry.tally.threshold(),
                m == null ? null : m.kcv().hex(), m == null ? List.of()
                        : m.holders().stream().filter(h -> h.nodeId().equals(nodeId)).toList());
    }

    /** Adds every request with its tally, releases and local answers to a state digest, by request id. */
    void digest(StateDigest d) {
        for (String id : new TreeSet<>(requests.keySet())) {
            NodeRequestEntry entry = requests.get(id);
            d.field("request").field(id).field(entry.digest).field(entry.coordinatorSignature)
                    .field(entry.tally.verdict().name()).field(entry.cancelled ? 1 : 0);
            entry.tally.answers().forEach((custodian, decision) -> d.field(custodian).field(decision.name()));
            entry.tally.conflicted().forEach(custodian -> d.field("conflicted").field(custodian));
            entry.released.values().forEach(r -> d.field("released").field(NodeEvents.encode(r)));
            entry.localAnswers.forEach(a -> d.field("local").field(a.custodianId()).field(a.decision().name())
                    .field(a.signature()));
        }
    }

    /**
     * Whoever holds a node's token PIN can wrap that node's shares to any key, so a successor
     * that puts {@code t} shares on one node would let one administrator rebuild the key. The
     * coordinator refuses to issue such a RESHARE; every node refuses it too, so that a
     * compromised coordinator cannot get one approved by custodians who missed the nodes.
     */
    private static void requireNoNodeHoldsAQuorum(String requestId, RequestParams.Reshare reshare)
            throws NodeRefusedException {
        Map<String, Integer> perNode = new HashMap<>();
        for (ReshareHolder h : reshare.holders()) {
            if (perNode.merge(h.nodeId(), 1, Integer::sum) >= reshare.threshold()) {
                throw new NodeRefusedException(NodeRefusalReason.CONFLICT, "RESHARE " + requestId + ": node " + h.nodeId()
                        + " would hold " + reshare.threshold() + " shares, a quorum on one node");
            }
        }
    }

    /**
     * Parses a canonical request, remembering the last one: a request is validated and then
     * applied, and both read the same string, so it is parsed (and hashed) once.
     */
    private CanonicalRequest parse(String canonical) throws NodeRefusedException {
        if (canonical.equals(lastParsedCanonical)) {
            return lastParsed;
        }
        try {
            CanonicalRequest parsed = CanonicalRequest.parse(canonical.getBytes(StandardCharsets.UTF_8));
            lastParsedCanonical = canonical;
            lastParsed = parsed;
            return parsed;
        } catch (FormatException e) {
            throw new NodeRefusedException(NodeRefusalReason.MALFORMED, e.getMessage());
        }
    }
}
