package dev.keyescrow.node.approval;

import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.AnswerOutcome;
import dev.keyescrow.core.policy.AnswerRefusedException;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.core.wire.RollbackReceiptMessage;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The node's view of manifests, shares it holds, requests and answers.
 *
 * <p>{@link #validate} checks an event against the current state and the time without
 * changing anything; {@link #apply} changes the state and never fails for an event that
 * validated (so a journaled event always replays). Not thread-safe: one owner drives it.
 *
 * <p>The rules (design: Contract: signed approval): manifests and requests only with
 * the pinned coordinator's signature; custodian keys only from manifests countersigned by
 * every custodian; an answer only for a known, open, unexpired request, from a custodian
 * pinned in that version whose share is on this node, with a valid signature. A release
 * is due only when the node itself counted t approvals, for an operation that releases.
 *
 * <p>Each aggregate keeps its own state and rules, and this class dispatches every event to
 * the one it belongs to: key versions ({@link NodeKeyVersionRules}), shares held
 * ({@link NodeShareRules}), rolled-back ceremonies ({@link RollbackRules}), requests and answers
 * ({@link NodeRequestRules}), releases ({@link ReleaseRules}), shreds ({@link ShredRules}) and
 * SIGN's rounds ({@link SigningRules}).
 */
public final class NodeLedger {
    private final String nodeId;
    private final PinnedCoordinator coordinator;
    private final NodeKeyVersionRules keyVersions;
    private final NodeShareRules shares;
    private final RollbackRules rollbacks;
    private final NodeRequestRules requests;
    private final ReleaseRules releases;
    private final ShredRules shreds;
    private final SigningRules signing;

    public NodeLedger(String nodeId, byte[] coordinatorPublicKey) {
        this(nodeId, coordinatorPublicKey, RequestTimeLimits.DEFAULT);
    }

    public NodeLedger(String nodeId, byte[] coordinatorPublicKey, RequestTimeLimits timeLimits) {
        this.nodeId = nodeId;
        this.coordinator = new PinnedCoordinator(coordinatorPublicKey);
        Objects.requireNonNull(timeLimits, "timeLimits");
        this.keyVersions = new NodeKeyVersionRules(nodeId, coordinator);
        this.shares = new NodeShareRules(nodeId);
        this.rollbacks = new RollbackRules(nodeId, coordinator, keyVersions, shares);
        this.requests = new NodeRequestRules(nodeId, coordinator, timeLimits, keyVersions, shares);
        this.releases = new ReleaseRules(nodeId, requests, keyVersions, shares);
        this.shreds = new ShredRules(requests, keyVersions, shares);
        this.signing = new SigningRules(nodeId, requests, keyVersions, shares);
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Checks {@code event} against the state at {@code now}.
     *
     * @return whether applying it changes anything ({@code false} for an idempotent repeat)
     * @throws NodeRefusedException naming what is wrong; nothing changed
     */
    public boolean validate(NodeEvent event, Instant now) throws NodeRefusedException {
        if (event instanceof NodeEvent.ManifestAdmitted m) {
            return keyVersions.validate(m, rollbacks);
        } else if (event instanceof NodeEvent.Countersigned c) {
            return keyVersions.validate(c);
        } else if (event instanceof NodeEvent.ShareHeld s) {
            return shares.validate(s);
        } else if (event instanceof NodeEvent.RequestAdmitted r) {
            return requests.validate(r, now);
        } else if (event instanceof NodeEvent.AnswerAccepted a) {
            return requests.validate(a, now);
        } else if (event instanceof NodeEvent.ShareReleased s) {
            return releases.validate(s);
        } else if (event instanceof NodeEvent.SharesRotated r) {
            return shares.validate(r);
        } else if (event instanceof NodeEvent.ShredCompleted c) {
            return shares.validate(c);
        } else if (event instanceof NodeEvent.RequestCancelled c) {
            return requests.validate(c);
        } else if (event instanceof NodeEvent.FrostCommitted f) {
            return signing.validate(f);
        } else if (event instanceof NodeEvent.FrostSigned f) {
            return signing.validate(f);
        } else if (event instanceof NodeEvent.RollbackReceipted r) {
            return rollbacks.validate(r);
        } else if (event instanceof NodeEvent.CeremonyRolledBack b) {
            return rollbacks.validate(b);
        }
        throw new IllegalArgumentException("unknown event " + event.getClass().getSimpleName());
    }

    /** Applies an event that validated (now or when it was journaled). */
    public void apply(NodeEvent event) {
        try {
            if (event instanceof NodeEvent.ManifestAdmitted m) {
                keyVersions.apply(m);
            } else if (event instanceof NodeEvent.Countersigned c) {
                keyVersions.apply(c);
            } else if (event instanceof NodeEvent.ShareHeld s) {
                shares.apply(s);
            } else if (event instanceof NodeEvent.RequestAdmitted r) {
                CanonicalRequest admitted = requests.apply(r);
                if (admitted != null) {
                    releases.admitted(admitted);
                    shreds.admitted(admitted);
                    signing.admitted(admitted);
                }
            } else if (event instanceof NodeEvent.AnswerAccepted a) {
                requests.apply(a);
            } else if (event instanceof NodeEvent.ShareReleased s) {
                releases.apply(s);
            } else if (event instanceof NodeEvent.SharesRotated r) {
                shares.apply(r);
            } else if (event instanceof NodeEvent.ShredCompleted c) {
                shares.apply(c);
            } else if (event instanceof NodeEvent.RequestCancelled c) {
                requests.apply(c);
            } else if (event instanceof NodeEvent.FrostCommitted f) {
                signing.apply(f);
            } else if (event instanceof NodeEvent.FrostSigned f) {
                signing.apply(f);
            } else if (event instanceof NodeEvent.RollbackReceipted r) {
                rollbacks.apply(r);
            } else if (event instanceof NodeEvent.CeremonyRolledBack b) {
                rollbacks.apply(b);
            }
        } catch (NodeRefusedException | AnswerRefusedException e) {
            throw new IllegalStateException("an event that validated no longer applies: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- key versions and shares

    /** The pinned manifest of a key version. */
    public Manifest manifest(String keyId, int version) throws NodeRefusedException {
        return keyVersions.manifest(keyId, version);
    }

    /** The digest of the manifest this node pinned for a key version (the one its releases bind). */
    public String manifestDigest(String keyId, int version) throws NodeRefusedException {
        return keyVersions.manifest(keyId, version).digest();
    }

    public boolean isPinned(String keyId, int version) {
        return keyVersions.isPinned(keyId, version);
    }

    /** The pinned coordinator key, for custodians' tools to check request signatures. */
    public byte[] coordinatorPublicKey() {
        return coordinator.publicKey();
    }

    /** Shares this node holds, as {@code keyId/version/index}, sorted. */
    public List<String> heldShares() {
        return shares.heldShares();
    }

    /** What this node keeps about each share it holds, sorted by {@code keyId/version/index}. */
    public List<NodeEvent.ShareHeld> heldShareDetails() {
        return shares.heldShareDetails();
    }

    /** The current epoch: that of the last completed rotation (1 before any). */
    public long epoch() {
        return shares.epoch();
    }

    /**
     * Refuses shares of a key version this node has shredded: a recorded import message
     * re-published later must not bring a destroyed share back under the current epoch KEK.
     */
    public void requireNotShredded(String keyId, int version) throws NodeRefusedException {
        shares.requireNotShredded(keyId, version);
    }

    /** The rotation journaled for {@code requestId}, if one happened (a shred in progress or done). */
    public Optional<NodeEvent.SharesRotated> rotation(String requestId) {
        return shares.rotation(requestId);
    }

    public Optional<NodeEvent.ShredCompleted> shred(String requestId) {
        return shares.shred(requestId);
    }

    /** Whether the ceremony of {@code keyId} v{@code version} was rolled back here. */
    public boolean isRolledBack(String keyId, int version) {
        return rollbacks.isRolledBack(keyId, version);
    }

    /** Every rollback journaled here, in key-version order. */
    public List<NodeEvent.CeremonyRolledBack> rollbacks() {
        return rollbacks.rollbacks();
    }

    /** This node's receipt for the rollback {@code rollbackId}, once signed and journaled. */
    public Optional<RollbackReceiptMessage> rollbackReceipt(String rollbackId) {
        return rollbacks.receipt(rollbackId);
    }

    // ---------------------------------------------------------------- requests and answers

    /**
     * What accepting {@code approval} would do; all the checks of the approval contract. A
     * {@code local} answer (given at this node) must come from a custodian whose share is here.
     */
    public AnswerOutcome answerOutcome(Approval approval, boolean local, Instant now) throws NodeRefusedException {
        return requests.answerOutcome(approval, local, now);
    }

    /** The canonical request (for its digest and ephemeral key). */
    public CanonicalRequest request(String requestId) throws NodeRefusedException {
        return requests.entry(requestId).request;
    }

    public NodeRequestView view(String requestId, Instant now) throws NodeRefusedException {
        return requests.view(requestId, now);
    }

    /** Every request, oldest first, optionally only those in {@code state}. */
    public List<NodeRequestView> views(RequestState state, Instant now) {
        return requests.views(state, now);
    }

    /** Answers custodians gave at this node for the request (to publish again after a restart). */
    public List<Approval> localAnswers(String requestId) throws NodeRefusedException {
        return List.copyOf(requests.entry(requestId).localAnswers);
    }

    /** The custodians who may answer {@code requestId}: the holders in its key version's manifest. */
    List<String> custodiansOf(String requestId) throws NodeRefusedException {
        return requests.custodiansOf(requestId);
    }

    boolean holdsRequest(String requestId) {
        return requests.holds(requestId);
    }

    /** The id of the request an admission carries (parsed once with its validation). */
    String requestIdOf(NodeEvent.RequestAdmitted admitted) throws NodeRefusedException {
        return requests.requestIdOf(admitted);
    }

    // ---------------------------------------------------------------- due work: releases, shreds

    /** Share indices this node must release for the request now (approved by its own count, not yet released). */
    public List<Integer> dueReleases(String requestId) throws NodeRefusedException {
        return releases.dueReleases(requestId);
    }

    /**
     * Requests whose releases this node owes now, with their due indices, by request id. Only
     * unsettled requests are looked at, and those found settled for good are dropped from that
     * set here, so the cost follows the open requests, not the node's whole history.
     */
    public Map<String, List<Integer>> allDueReleases() {
        return releases.allDueReleases();
    }

    /** Releases this node made for the request (to publish again), by index. */
    public List<NodeEvent.ShareReleased> releases(String requestId) throws NodeRefusedException {
        return releases.releases(requestId);
    }

    /**
     * Requests whose shred this node still owes: DESTROY requests its own count approved, for a
     * key version of which it holds shares (or rotated them away without a receipt yet).
     */
    public List<String> dueShreds() {
        return shreds.dueShreds();
    }

    // ---------------------------------------------------------------- SIGN (FROST)

    /**
     * The params of a SIGN request this node takes part in for share {@code index}: the request
     * is a SIGN with this digest, approved by this node's own count and not cancelled, and the
     * share is this node's (a holder of the version on this node, held here).
     */
    public RequestParams.Sign signingParams(String requestId, String digest, String node, int index)
            throws NodeRefusedException {
        return signing.signingParams(requestId, digest, node, index);
    }

    /**
     * SIGN requests approved here whose first attempt this node has not committed to yet, with
     * the share indices it holds for them; requests found settled are dropped from the scan.
     */
    public Map<String, List<Integer>> dueFrostCommitments() {
        return signing.dueCommitments();
    }

    public Optional<FrostCommitmentMessage> frostCommitment(String requestId, int attempt, int index) {
        return signing.commitment(requestId, attempt, index);
    }

    public Optional<FrostShareMessage> frostShare(String requestId, int attempt, int index) {
        return signing.share(requestId, attempt, index);
    }

    /** Every commitment and share this node journaled for {@code requestId} (to publish them again). */
    public List<byte[]> frostMessages(String requestId, boolean shares) {
        return signing.messages(requestId, shares);
    }

    /**
     * A digest of everything this ledger knows, in a fixed order, so that a ledger rebuilt from
     * the journal can be compared with the one a checkpoint described. The scan indexes (of
     * requests that may owe releases, shreds or commitments) are left out: they are caches
     * that scans prune, derived from what is digested. The order is that of checkpoints
     * already written: changing it refuses their start.
     */
    public byte[] stateDigest() {
        StateDigest d = new StateDigest("node");
        d.field(nodeId).field(coordinator.publicKey()).field(shares.epoch());
        keyVersions.digest(d);
        shares.digest(d);
        // rollbacks and SIGN's rounds add fields only when there are any: older checkpoints still verify
        rollbacks.digest(d);
        signing.digest(d);
        requests.digest(d);
        return d.finish();
    }
}
