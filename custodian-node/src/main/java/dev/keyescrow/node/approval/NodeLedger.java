package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.AnswerOutcome;
import dev.keyescrow.core.policy.AnswerRefusedException;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.core.request.ReshareHolder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
 */
public final class NodeLedger {
    private final String nodeId;
    private final byte[] coordinatorPublicKey;
    private final RequestTimeLimits timeLimits;
    private final Map<String, ManifestEntry> manifests = new HashMap<>();
    private final CustodianKeys custodianKeys = new CustodianKeys();
    private final Map<String, NodeEvent.ShareHeld> heldShares = new TreeMap<>();
    private final Map<String, NodeEvent.SharesRotated> rotations = new HashMap<>();
    private final Map<String, NodeEvent.ShredCompleted> shreds = new HashMap<>();
    private long epoch = 1;
    /** Key versions ({@code keyId/version}) of which this node shredded shares: never imported again. */
    private final Set<String> tombstones = new HashSet<>();
    /** Rolled-back ceremonies by {@code keyId/version}: never committed here, their shares shredded. */
    private final Map<String, NodeEvent.CeremonyRolledBack> rollbacks = new TreeMap<>();
    /** This node's signed rollback receipts, by rollback id. */
    private final Map<String, dev.keyescrow.core.wire.RollbackReceiptMessage> rollbackReceipts = new TreeMap<>();
    private final Map<String, RequestEntry> requests = new LinkedHashMap<>();
    /** Requests that may still owe a release from this node ({@link #allDueReleases} prunes it). */
    private final Set<String> unsettled = new LinkedHashSet<>();
    /** DESTROY, REFRESH and RESHARE requests not yet shredded, cancelled or denied ({@link #dueShreds} prunes it). */
    private final Set<String> shredding = new LinkedHashSet<>();
    /** SIGN requests (FROST keys) this node admitted: round one may be due for them. */
    private final Set<String> signing = new LinkedHashSet<>();
    /** SIGN: this node's journaled commitments and signature shares, by {@code requestId/attempt/index}. */
    private final Map<String, FrostCommitmentMessage> frostCommitments = new TreeMap<>();
    private final Map<String, FrostShareMessage> frostShares = new TreeMap<>();
    /**
     * The answer the last validation checked (signature included): applying that same answer
     * object right after does not verify it again. Replay, which has no validation before it,
     * checks every answer.
     */
    private QuorumTally.CheckedAnswer lastChecked;
    private String lastParsedCanonical;
    private CanonicalRequest lastParsed;

    private static final class ManifestEntry {
        final Manifest manifest;
        final Map<String, byte[]> countersignatures = new TreeMap<>();

        ManifestEntry(Manifest manifest) {
            this.manifest = manifest;
        }

        boolean pinned() {
            return countersignatures.size() == manifest.shareCount();
        }
    }

    private static final class RequestEntry {
        final CanonicalRequest request;
        final String canonical;
        // computed once: views and due-work scans ask for it on every answer
        final String digest;
        final byte[] coordinatorSignature;
        QuorumTally tally;
        final Map<Integer, NodeEvent.ShareReleased> released = new TreeMap<>();
        final List<Approval> localAnswers = new ArrayList<>();
        boolean cancelled;

        RequestEntry(CanonicalRequest request, String canonical, byte[] coordinatorSignature, QuorumTally tally) {
            this.request = request;
            this.canonical = canonical;
            this.digest = request.digest();
            this.coordinatorSignature = coordinatorSignature.clone();
            this.tally = tally;
        }
    }

    public NodeLedger(String nodeId, byte[] coordinatorPublicKey) {
        this(nodeId, coordinatorPublicKey, RequestTimeLimits.DEFAULT);
    }

    public NodeLedger(String nodeId, byte[] coordinatorPublicKey, RequestTimeLimits timeLimits) {
        this.nodeId = nodeId;
        this.coordinatorPublicKey = coordinatorPublicKey.clone();
        this.timeLimits = java.util.Objects.requireNonNull(timeLimits, "timeLimits");
    }

    public String nodeId() {
        return nodeId;
    }

    private static String versionKey(String keyId, int version) {
        return keyId + "/" + version;
    }

    /**
     * Checks {@code event} against the state at {@code now}.
     *
     * @return whether applying it changes anything ({@code false} for an idempotent repeat)
     * @throws RefusedException naming what is wrong; nothing changed
     */
    public boolean validate(NodeEvent event, Instant now) throws RefusedException {
        if (event instanceof NodeEvent.ManifestAdmitted m) {
            Manifest manifest = parseManifest(m.canonical());
            verifyCoordinator(Kind.MANIFEST, manifest.digest(), m.coordinatorSignature(), "manifest");
            ManifestEntry existing = manifests.get(versionKey(manifest.keyId(), manifest.version()));
            if (existing != null && !existing.manifest.digest().equals(manifest.digest())) {
                throw new RefusedException(RefusalReason.CLOSED, "a different manifest for " + manifest.keyId() + " v"
                        + manifest.version() + " was admitted already");
            }
            if (existing == null && rollbacks.containsKey(versionKey(manifest.keyId(), manifest.version()))) {
                throw new RefusedException(RefusalReason.CLOSED, "the ceremony of " + manifest.keyId() + " v"
                        + manifest.version() + " was rolled back; that version is never committed");
            }
            if (existing == null) {
                custodianKeys.check(manifest);
            }
            return existing == null;
        } else if (event instanceof NodeEvent.Countersigned c) {
            ManifestEntry entry = manifestEntry(c.keyId(), c.version());
            Holder holder = holderOf(entry.manifest, c.custodianId());
            try {
                entry.manifest.verifyCountersignature(holder.custodianId(), c.signature());
            } catch (SignatureException e) {
                throw new RefusedException(RefusalReason.BAD_SIGNATURE, "countersignature of " + c.custodianId()
                        + ": " + e.getMessage());
            }
            return !entry.countersignatures.containsKey(c.custodianId());
        } else if (event instanceof NodeEvent.ShareHeld s) {
            requireNotShredded(s.keyId(), s.version());
            // imports come before the manifest exists; which custodian a share serves is checked at use
            NodeEvent.ShareHeld existing = heldShares.get(s.shareKey());
            if (existing != null && !existing.blobId().equals(s.blobId())) {
                throw new RefusedException(RefusalReason.CLOSED, "share " + s.shareKey() + " is held already");
            }
            return existing == null;
        } else if (event instanceof NodeEvent.RequestAdmitted r) {
            CanonicalRequest request = parseRequest(r.canonical());
            verifyCoordinator(Kind.REQUEST, request.digest(), r.coordinatorSignature(), "request");
            RequestEntry existing = requests.get(request.requestId());
            if (existing != null) {
                if (!existing.request.digest().equals(request.digest())) {
                    throw new RefusedException(RefusalReason.CLOSED, "request " + request.requestId()
                            + " exists with another digest");
                }
                return false;
            }
            // checked at admission only: replay applies what was admitted, whatever the clock says then
            timeLimits.check(request, now);
            ManifestEntry entry = manifestEntry(request.keyId(), request.version());
            if (!entry.pinned()) {
                throw new RefusedException(RefusalReason.NOT_PINNED, request.keyId() + " v" + request.version()
                        + " is not countersigned by every custodian yet");
            }
            if (request.isExpiredAt(now)) {
                throw new RefusedException(RefusalReason.EXPIRED, "request " + request.requestId() + " has expired");
            }
            if (request.params() instanceof RequestParams.Reshare reshare) {
                requireNoNodeHoldsAQuorum(request.requestId(), reshare);
            }
            if (request.operation().signs() && entry.manifest.scheme() != KeyScheme.FROST) {
                throw new RefusedException(RefusalReason.CONFLICT, "SIGN of " + request.keyId() + " v"
                        + request.version() + " refused: only a FROST key signs by quorum");
            }
            if (request.operation().needsRelease() && entry.manifest.scheme() == KeyScheme.FROST) {
                // t scalar shares interpolate to the group secret: a FROST share is never released,
                // whoever signed the request (the coordinator's own refusal is not what keeps it whole)
                throw new RefusedException(RefusalReason.CONFLICT, request.operation() + " of " + request.keyId()
                        + " v" + request.version() + " would release shares of a FROST key, which is never rebuilt");
            }
            return true;
        } else if (event instanceof NodeEvent.AnswerAccepted a) {
            return answerOutcome(a.approval(), a.local(), now) != AnswerOutcome.REPEATED;
        } else if (event instanceof NodeEvent.ShareReleased s) {
            RequestEntry entry = requestEntry(s.requestId());
            if (!dueReleases(entry).contains(s.index())) {
                throw new RefusedException(RefusalReason.CLOSED, "share " + s.index() + " is not due for release for "
                        + s.requestId());
            }
            return true;
        } else if (event instanceof NodeEvent.SharesRotated r) {
            if (r.epoch() <= epoch) {
                throw new RefusedException(RefusalReason.CLOSED, "epoch " + r.epoch() + " is not after " + epoch);
            }
            for (String share : r.destroyed()) {
                if (!heldShares.containsKey(share)) {
                    throw new RefusedException(RefusalReason.CLOSED, "share " + share + " is not held here");
                }
            }
            return true;
        } else if (event instanceof NodeEvent.ShredCompleted c) {
            return !shreds.containsKey(c.requestId());
        } else if (event instanceof NodeEvent.RequestCancelled c) {
            RequestEntry entry = requestEntry(c.requestId());
            String digest = new dev.keyescrow.core.wire.CancelMessage(c.requestId(), entry.request.digest(),
                    c.coordinatorSignature()).digest();
            verifyCoordinator(Kind.CANCEL, digest, c.coordinatorSignature(), "cancellation");
            return !entry.cancelled;
        } else if (event instanceof NodeEvent.FrostCommitted f) {
            FrostCommitmentMessage c = frostCommitmentOf(f);
            RequestParams.Sign params = signingParams(c.requestId(), c.requestDigest(), c.nodeId(), c.index());
            if (c.commitments().size() != params.count()) {
                throw new RefusedException(RefusalReason.CONFLICT, "a commitment for " + c.requestId()
                        + " must have one entry per message (" + params.count() + ")");
            }
            FrostCommitmentMessage existing = frostCommitments.get(c.key());
            if (existing != null && !Arrays.equals(existing.encode(), c.encode())) {
                // its nonces are spent: a second commitment for the same attempt is never made
                throw new RefusedException(RefusalReason.CLOSED, "share " + c.index() + " committed for "
                        + c.requestId() + " attempt " + c.attempt() + " already");
            }
            return existing == null;
        } else if (event instanceof NodeEvent.FrostSigned f) {
            FrostShareMessage m = frostShareOf(f);
            signingParams(m.requestId(), m.requestDigest(), m.nodeId(), m.index());
            if (!frostCommitments.containsKey(m.key())) {
                throw new RefusedException(RefusalReason.CLOSED, "no commitment of share " + m.index() + " for "
                        + m.requestId() + " attempt " + m.attempt());
            }
            FrostShareMessage existing = frostShares.get(m.key());
            if (existing != null && !Arrays.equals(existing.encode(), m.encode())) {
                throw new RefusedException(RefusalReason.CLOSED, "share " + m.index() + " signed for "
                        + m.requestId() + " attempt " + m.attempt() + " already");
            }
            return existing == null;
        } else if (event instanceof NodeEvent.RollbackReceipted r) {
            return validateRollbackReceipt(r.receipt());
        } else if (event instanceof NodeEvent.CeremonyRolledBack b) {
            verifyCoordinator(Kind.ROLLBACK, b.message().digest(), b.coordinatorSignature(), "rollback");
            String version = versionKey(b.keyId(), b.version());
            // a committed version is never rolled back: the coordinator's key alone must not shred pinned shares
            if (manifests.containsKey(version)) {
                throw new RefusedException(RefusalReason.CLOSED, "rollback of " + b.keyId() + " v" + b.version()
                        + " refused: its manifest is held here, so its ceremony committed");
            }
            NodeEvent.CeremonyRolledBack existing = rollbacks.get(version);
            if (existing != null && !existing.manifestDigest().equals(b.manifestDigest())) {
                throw new RefusedException(RefusalReason.CLOSED, "a rollback of another ceremony of " + b.keyId()
                        + " v" + b.version() + " was journaled already");
            }
            return existing == null;
        }
        throw new IllegalArgumentException("unknown event " + event.getClass().getSimpleName());
    }

    /**
     * This node's receipt for a rollback it journaled, once that rollback's shred completed: the
     * same node, ceremony, epoch and destroyed shares as the journaled rollback and shred.
     */
    private boolean validateRollbackReceipt(dev.keyescrow.core.wire.RollbackReceiptMessage r) throws RefusedException {
        NodeEvent.CeremonyRolledBack rollback = rollbacks.get(versionKey(r.keyId(), r.version()));
        NodeEvent.ShredCompleted shred = shreds.get(r.rollbackId());
        if (!r.nodeId().equals(nodeId) || rollback == null || !rollback.manifestDigest().equals(r.manifestDigest())
                || shred == null || shred.epoch() != r.epoch() || !shred.destroyed().equals(r.destroyed())) {
            throw new RefusedException(RefusalReason.CLOSED, "a rollback receipt must name a rollback journaled"
                    + " here and its completed shred");
        }
        return !rollbackReceipts.containsKey(r.rollbackId());
    }

    /** This node's receipt for the rollback {@code rollbackId}, once signed and journaled. */
    public java.util.Optional<dev.keyescrow.core.wire.RollbackReceiptMessage> rollbackReceipt(String rollbackId) {
        return java.util.Optional.ofNullable(rollbackReceipts.get(rollbackId));
    }

    /** Applies an event that validated (now or when it was journaled). */
    public void apply(NodeEvent event) {
        try {
            if (event instanceof NodeEvent.ManifestAdmitted m) {
                Manifest manifest = parseManifest(m.canonical());
                if (manifests.putIfAbsent(versionKey(manifest.keyId(), manifest.version()),
                        new ManifestEntry(manifest)) == null) {
                    custodianKeys.pin(manifest);
                }
            } else if (event instanceof NodeEvent.Countersigned c) {
                manifestEntry(c.keyId(), c.version()).countersignatures.putIfAbsent(c.custodianId(), c.signature());
            } else if (event instanceof NodeEvent.ShareHeld s) {
                heldShares.putIfAbsent(s.shareKey(), s);
            } else if (event instanceof NodeEvent.RequestAdmitted r) {
                CanonicalRequest request = parseRequest(r.canonical());
                Manifest manifest = manifestEntry(request.keyId(), request.version()).manifest;
                if (requests.putIfAbsent(request.requestId(), new RequestEntry(request, r.canonical(),
                        r.coordinatorSignature(), QuorumTally.start(request, manifest))) == null) {
                    if (request.operation().needsRelease()) {
                        unsettled.add(request.requestId());
                    }
                    if (request.operation().shreds()) {
                        shredding.add(request.requestId());
                    }
                    if (request.operation().signs()) {
                        signing.add(request.requestId());
                    }
                }
            } else if (event instanceof NodeEvent.AnswerAccepted a) {
                RequestEntry entry = requestEntry(a.approval().requestId());
                // the journaled answer was checked when it arrived; replay must not depend on the clock
                QuorumTally.CheckedAnswer checked = lastChecked;
                lastChecked = null;
                entry.tally = checked != null && checked.approval() == a.approval() && entry.tally.accepts(checked)
                        ? entry.tally.with(checked) : entry.tally.with(a.approval(), entry.request.createdAt());
                if (a.local()) {
                    entry.localAnswers.add(a.approval());
                }
            } else if (event instanceof NodeEvent.ShareReleased s) {
                requestEntry(s.requestId()).released.putIfAbsent(s.index(), s);
            } else if (event instanceof NodeEvent.SharesRotated r) {
                r.destroyed().forEach(heldShares::remove);
                r.destroyed().forEach(share -> tombstones.add(share.substring(0, share.lastIndexOf('/'))));
                r.newBlobIds().forEach((share, blobId) -> {
                    NodeEvent.ShareHeld h = heldShares.get(share);
                    if (h != null) {
                        heldShares.put(share, new NodeEvent.ShareHeld(h.keyId(), h.version(), h.index(), h.length(),
                                blobId, h.envelopeDigest(), h.storedBlobDigest(), h.receiptSignature()));
                    }
                });
                rotations.put(r.requestId(), r);
                epoch = r.epoch();
            } else if (event instanceof NodeEvent.ShredCompleted c) {
                shreds.putIfAbsent(c.requestId(), c);
            } else if (event instanceof NodeEvent.RequestCancelled c) {
                requestEntry(c.requestId()).cancelled = true;
            } else if (event instanceof NodeEvent.FrostCommitted f) {
                FrostCommitmentMessage c = frostCommitmentOf(f);
                frostCommitments.putIfAbsent(c.key(), c);
            } else if (event instanceof NodeEvent.FrostSigned f) {
                FrostShareMessage m = frostShareOf(f);
                frostShares.putIfAbsent(m.key(), m);
            } else if (event instanceof NodeEvent.RollbackReceipted r) {
                dev.keyescrow.core.wire.RollbackReceiptMessage receipt = r.receipt();
                rollbackReceipts.putIfAbsent(receipt.rollbackId(), receipt);
            } else if (event instanceof NodeEvent.CeremonyRolledBack b) {
                rollbacks.putIfAbsent(versionKey(b.keyId(), b.version()), b);
                tombstones.add(versionKey(b.keyId(), b.version()));
            }
        } catch (RefusedException | AnswerRefusedException e) {
            throw new IllegalStateException("an event that validated no longer applies: " + e.getMessage(), e);
        }
    }

    /**
     * What accepting {@code approval} would do; all the checks of the approval contract. A
     * {@code local} answer (given at this node) must come from a custodian whose share is here.
     */
    public AnswerOutcome answerOutcome(Approval approval, boolean local, Instant now) throws RefusedException {
        RequestEntry entry = requestEntry(approval.requestId());
        RequestState state = state(entry, now);
        if (state == RequestState.EXPIRED) {
            throw new RefusedException(RefusalReason.EXPIRED, "request " + approval.requestId() + " expired at "
                    + entry.request.expiresAt());
        }
        if (state.isTerminal()) {
            throw new RefusedException(RefusalReason.CLOSED, "request " + approval.requestId() + " is " + state);
        }
        Manifest manifest = manifestEntry(entry.request.keyId(), entry.request.version()).manifest;
        Holder holder = holderOf(manifest, approval.custodianId());
        if (local && (!holder.nodeId().equals(nodeId) || !heldShares.containsKey(shareKey(manifest.keyId(),
                manifest.version(), holder.index())))) {
            throw new RefusedException(RefusalReason.NOT_ON_THIS_NODE, "the share of custodian "
                    + approval.custodianId() + " is not on node " + nodeId + "; answer at the node that holds it");
        }
        try {
            QuorumTally.CheckedAnswer checked = lastChecked != null && lastChecked.approval() == approval
                    && entry.tally.accepts(lastChecked) ? lastChecked : entry.tally.check(approval, now);
            lastChecked = checked;
            return entry.tally.outcomeOf(checked);
        } catch (AnswerRefusedException e) {
            throw new RefusedException(switch (e.reason()) {
                case WRONG_REQUEST -> RefusalReason.WRONG_REQUEST;
                case UNKNOWN_CUSTODIAN -> RefusalReason.UNKNOWN_CUSTODIAN;
                case BAD_SIGNATURE -> RefusalReason.BAD_SIGNATURE;
                case EXPIRED -> RefusalReason.EXPIRED;
                case CLOSED -> RefusalReason.CLOSED;
            }, e.getMessage());
        }
    }

    /** Share indices this node must release for the request now (approved by its own count, not yet released). */
    public List<Integer> dueReleases(String requestId) throws RefusedException {
        return dueReleases(requestEntry(requestId));
    }

    /**
     * Requests whose releases this node owes now, with their due indices, by request id. Only
     * unsettled requests are looked at, and those found settled for good are dropped from that
     * set here, so the cost follows the open requests, not the node's whole history.
     */
    public Map<String, List<Integer>> allDueReleases() {
        Map<String, List<Integer>> due = new TreeMap<>();
        for (Iterator<String> it = unsettled.iterator(); it.hasNext(); ) {
            RequestEntry entry = requests.get(it.next());
            List<Integer> indices = dueReleases(entry);
            if (!indices.isEmpty()) {
                due.put(entry.request.requestId(), indices);
            } else if (isSettled(entry)) {
                it.remove();
            }
        }
        return due;
    }

    /**
     * Whether {@code entry} can never owe a release again: cancelled, denied (denials only
     * grow), or approved with nothing left to release (shares are only ever removed from a
     * node once its requests exist).
     */
    private static boolean isSettled(RequestEntry entry) {
        QuorumTally.Verdict verdict = entry.tally.verdict();
        return entry.cancelled || verdict == QuorumTally.Verdict.DENIED || verdict == QuorumTally.Verdict.APPROVED;
    }

    private List<Integer> dueReleases(RequestEntry entry) {
        List<Integer> due = new ArrayList<>();
        if (entry.cancelled || !entry.request.operation().needsRelease()
                || entry.tally.verdict() != QuorumTally.Verdict.APPROVED) {
            return due;
        }
        Manifest manifest = manifests.get(versionKey(entry.request.keyId(), entry.request.version())).manifest;
        if (manifest.scheme() == KeyScheme.FROST) {
            return due; // never admitted (see RequestAdmitted); and never due, should a journal say otherwise
        }
        for (Holder h : manifest.holders()) {
            if (h.nodeId().equals(nodeId) && heldShares.containsKey(shareKey(manifest.keyId(), manifest.version(),
                    h.index())) && !entry.released.containsKey(h.index())) {
                due.add(h.index());
            }
        }
        return due;
    }

    public RequestView view(String requestId, Instant now) throws RefusedException {
        RequestEntry entry = requestEntry(requestId);
        return viewOf(entry, now);
    }

    /** Every request, oldest first, optionally only those in {@code state}. */
    public List<RequestView> views(RequestState state, Instant now) {
        List<RequestView> out = new ArrayList<>();
        for (RequestEntry entry : requests.values()) {
            RequestState s = state(entry, now);
            if (state == null || s == state) {
                out.add(viewOf(entry, now));
            }
        }
        return out;
    }

    private RequestView viewOf(RequestEntry entry, Instant now) {
        ManifestEntry m = manifests.get(versionKey(entry.request.keyId(), entry.request.version()));
        return new RequestView(entry.request, entry.canonical, entry.digest, entry.coordinatorSignature,
                state(entry, now), List.copyOf(entry.tally.approvers()), entry.tally.threshold(),
                m == null ? null : m.manifest.kcv().hex(), m == null ? List.of()
                        : m.manifest.holders().stream().filter(h -> h.nodeId().equals(nodeId)).toList());
    }

    /** The pinned coordinator key, for custodians' tools to check request signatures. */
    public byte[] coordinatorPublicKey() {
        return coordinatorPublicKey.clone();
    }

    /** Shares this node holds, as {@code keyId/version/index}, sorted. */
    public List<String> heldShares() {
        return List.copyOf(heldShares.keySet());
    }

    /** What this node keeps about each share it holds, sorted by {@code keyId/version/index}. */
    public List<NodeEvent.ShareHeld> heldShareDetails() {
        return List.copyOf(heldShares.values());
    }

    /** The current epoch: that of the last completed rotation (1 before any). */
    public long epoch() {
        return epoch;
    }

    /** Answers custodians gave at this node for the request (to publish again after a restart). */
    public List<Approval> localAnswers(String requestId) throws RefusedException {
        return List.copyOf(requestEntry(requestId).localAnswers);
    }

    /** Releases this node made for the request (to publish again), by index. */
    public List<NodeEvent.ShareReleased> releases(String requestId) throws RefusedException {
        return List.copyOf(requestEntry(requestId).released.values());
    }

    /**
     * Requests whose shred this node still owes: DESTROY requests its own count approved, for a
     * key version of which it holds shares (or rotated them away without a receipt yet).
     */
    public List<String> dueShreds() {
        List<String> due = new ArrayList<>();
        for (Iterator<String> it = shredding.iterator(); it.hasNext(); ) {
            RequestEntry entry = requests.get(it.next());
            CanonicalRequest r = entry.request;
            QuorumTally.Verdict verdict = entry.tally.verdict();
            if (entry.cancelled || shreds.containsKey(r.requestId()) || verdict == QuorumTally.Verdict.DENIED) {
                it.remove(); // settled for good: shredded, cancelled or denied
                continue;
            }
            if (verdict != QuorumTally.Verdict.APPROVED) {
                continue;
            }
            boolean shredding = switch (r.operation()) {
                case DESTROY -> true;
                case REFRESH, RESHARE -> successorPinned(r);
                default -> false;
            };
            String prefix = r.keyId() + "/" + r.version() + "/";
            boolean holds = heldShares.keySet().stream().anyMatch(k -> k.startsWith(prefix));
            if (shredding && (holds || rotations.containsKey(r.requestId()))) {
                due.add(r.requestId());
            }
        }
        return due;
    }

    /**
     * Whether the key version that an approved REFRESH or RESHARE replaces has the successor
     * the quorum approved: a later version of the same key (same algorithm and KCV),
     * countersigned by every holder it names, with exactly the holders — custodian id, public
     * key and node — and threshold the request fixes: the old ones for REFRESH, those named in
     * the request for RESHARE. Only then may this node shred the old shares: the key lives on
     * with the holders the quorum chose, not with whoever the coordinator picked.
     */
    private boolean successorPinned(CanonicalRequest r) {
        ManifestEntry old = manifests.get(versionKey(r.keyId(), r.version()));
        if (old == null) {
            return false;
        }
        Set<ReshareHolder> approvedHolders;
        int approvedThreshold;
        if (r.params() instanceof RequestParams.Reshare reshare) {
            approvedHolders = Set.copyOf(reshare.holders());
            approvedThreshold = reshare.threshold();
        } else {
            approvedHolders = holdersOf(old.manifest);
            approvedThreshold = old.manifest.threshold();
        }
        for (ManifestEntry candidate : manifests.values()) {
            Manifest m = candidate.manifest;
            if (m.keyId().equals(r.keyId()) && m.version() > r.version() && candidate.pinned()
                    && m.kcv().equals(old.manifest.kcv()) && m.algorithm() == old.manifest.algorithm()
                    && m.threshold() == approvedThreshold && holdersOf(m).equals(approvedHolders)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whoever holds a node's token PIN can wrap that node's shares to any key, so a successor
     * that puts {@code t} shares on one node would let one administrator rebuild the key. The
     * coordinator refuses to issue such a RESHARE; every node refuses it too, so that a
     * compromised coordinator cannot get one approved by custodians who missed the nodes.
     */
    private static void requireNoNodeHoldsAQuorum(String requestId, RequestParams.Reshare reshare)
            throws RefusedException {
        Map<String, Integer> perNode = new HashMap<>();
        for (ReshareHolder h : reshare.holders()) {
            if (perNode.merge(h.nodeId(), 1, Integer::sum) >= reshare.threshold()) {
                throw new RefusedException(RefusalReason.CONFLICT, "RESHARE " + requestId + ": node " + h.nodeId()
                        + " would hold " + reshare.threshold() + " shares, a quorum on one node");
            }
        }
    }

    private static Set<ReshareHolder> holdersOf(Manifest manifest) {
        Set<ReshareHolder> holders = new HashSet<>();
        for (Holder h : manifest.holders()) {
            holders.add(new ReshareHolder(h.custodianId(), h.publicKey(), h.nodeId()));
        }
        return holders;
    }

    /**
     * Refuses shares of a key version this node has shredded: a recorded import message
     * re-published later must not bring a destroyed share back under the current epoch KEK.
     */
    public void requireNotShredded(String keyId, int version) throws RefusedException {
        if (tombstones.contains(versionKey(keyId, version))) {
            throw new RefusedException(RefusalReason.SHREDDED, "shares of " + keyId + " v" + version
                    + " were shredded on node " + nodeId + "; they are never imported again");
        }
    }

    /** Whether the ceremony of {@code keyId} v{@code version} was rolled back here. */
    public boolean isRolledBack(String keyId, int version) {
        return rollbacks.containsKey(versionKey(keyId, version));
    }

    /** Every rollback journaled here, in key-version order. */
    public List<NodeEvent.CeremonyRolledBack> rollbacks() {
        return List.copyOf(rollbacks.values());
    }

    /** The rotation journaled for {@code requestId}, if one happened (a shred in progress or done). */
    public java.util.Optional<NodeEvent.SharesRotated> rotation(String requestId) {
        return java.util.Optional.ofNullable(rotations.get(requestId));
    }

    public java.util.Optional<NodeEvent.ShredCompleted> shred(String requestId) {
        return java.util.Optional.ofNullable(shreds.get(requestId));
    }

    /** The canonical request (for its digest and ephemeral key). */
    public CanonicalRequest request(String requestId) throws RefusedException {
        return requestEntry(requestId).request;
    }

    /** The digest of the manifest this node pinned for a key version (the one its releases bind). */
    public String manifestDigest(String keyId, int version) throws RefusedException {
        return manifestEntry(keyId, version).manifest.digest();
    }

    public boolean isPinned(String keyId, int version) {
        ManifestEntry entry = manifests.get(versionKey(keyId, version));
        return entry != null && entry.pinned();
    }

    private RequestState state(RequestEntry entry, Instant now) {
        if (entry.cancelled) {
            return RequestState.CANCELLED;
        }
        return switch (entry.tally.verdict()) {
            case APPROVED -> RequestState.APPROVED;
            case DENIED -> RequestState.DENIED;
            case OPEN -> entry.request.isExpiredAt(now) ? RequestState.EXPIRED : RequestState.PENDING;
        };
    }

    // ---------------------------------------------------------------- SIGN (FROST)

    private static FrostCommitmentMessage frostCommitmentOf(NodeEvent.FrostCommitted f) throws RefusedException {
        try {
            return FrostCommitmentMessage.decode(f.message().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (dev.keyescrow.core.error.FormatException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
    }

    private static FrostShareMessage frostShareOf(NodeEvent.FrostSigned f) throws RefusedException {
        try {
            return FrostShareMessage.decode(f.message().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (dev.keyescrow.core.error.FormatException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
    }

    /**
     * The params of a SIGN request this node takes part in for share {@code index}: the request
     * is a SIGN with this digest, approved by this node's own count and not cancelled, and the
     * share is this node's (a holder of the version on this node, held here).
     */
    public RequestParams.Sign signingParams(String requestId, String digest, String node, int index)
            throws RefusedException {
        RequestEntry entry = requestEntry(requestId);
        if (!(entry.request.params() instanceof RequestParams.Sign params) || !entry.digest.equals(digest)) {
            throw new RefusedException(RefusalReason.WRONG_REQUEST, requestId + " is no SIGN request of that digest");
        }
        if (entry.cancelled || entry.tally.verdict() != QuorumTally.Verdict.APPROVED) {
            throw new RefusedException(RefusalReason.CLOSED, requestId + " is not approved by t custodians at node "
                    + nodeId + "; this node takes no part in its signature");
        }
        Manifest manifest = manifestEntry(entry.request.keyId(), entry.request.version()).manifest;
        boolean ours = node.equals(nodeId) && manifest.holders().stream().anyMatch(h -> h.index() == index
                && h.nodeId().equals(nodeId)) && heldShares.containsKey(shareKey(manifest.keyId(),
                manifest.version(), index));
        if (!ours) {
            throw new RefusedException(RefusalReason.NOT_ON_THIS_NODE, "share " + index + " of " + manifest.keyId()
                    + " v" + manifest.version() + " is not held by node " + nodeId);
        }
        return params;
    }

    /**
     * SIGN requests approved here whose first attempt this node has not committed to yet, with
     * the share indices it holds for them; requests found settled are dropped from the scan.
     */
    public Map<String, List<Integer>> dueFrostCommitments() {
        Map<String, List<Integer>> due = new TreeMap<>();
        for (Iterator<String> it = signing.iterator(); it.hasNext(); ) {
            RequestEntry entry = requests.get(it.next());
            if (entry.cancelled || entry.tally.verdict() == QuorumTally.Verdict.DENIED) {
                it.remove();
                continue;
            }
            if (entry.tally.verdict() != QuorumTally.Verdict.APPROVED) {
                continue;
            }
            Manifest manifest = manifests.get(versionKey(entry.request.keyId(), entry.request.version())).manifest;
            List<Integer> indices = new ArrayList<>();
            for (Holder h : manifest.holders()) {
                if (h.nodeId().equals(nodeId) && heldShares.containsKey(shareKey(manifest.keyId(), manifest.version(),
                        h.index())) && !frostCommitments.containsKey(entry.request.requestId() + "/1/" + h.index())) {
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

    public java.util.Optional<FrostCommitmentMessage> frostCommitment(String requestId, int attempt, int index) {
        return java.util.Optional.ofNullable(frostCommitments.get(requestId + "/" + attempt + "/" + index));
    }

    public java.util.Optional<FrostShareMessage> frostShare(String requestId, int attempt, int index) {
        return java.util.Optional.ofNullable(frostShares.get(requestId + "/" + attempt + "/" + index));
    }

    /** Every commitment and share this node journaled for {@code requestId} (to publish them again). */
    public List<byte[]> frostMessages(String requestId, boolean shares) {
        String prefix = requestId + "/";
        Map<String, ? extends Object> map = shares ? frostShares : frostCommitments;
        List<byte[]> out = new ArrayList<>();
        map.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.add(v instanceof FrostShareMessage m ? m.encode() : ((FrostCommitmentMessage) v).encode());
            }
        });
        return out;
    }

    /** The pinned manifest of a key version. */
    public Manifest manifest(String keyId, int version) throws RefusedException {
        return manifestEntry(keyId, version).manifest;
    }

    private RequestEntry requestEntry(String requestId) throws RefusedException {
        RequestEntry entry = requests.get(requestId);
        if (entry == null) {
            throw new RefusedException(RefusalReason.UNKNOWN_REQUEST, "no request " + requestId + " on node " + nodeId);
        }
        return entry;
    }

    private ManifestEntry manifestEntry(String keyId, int version) throws RefusedException {
        ManifestEntry entry = manifests.get(versionKey(keyId, version));
        if (entry == null) {
            throw new RefusedException(RefusalReason.UNKNOWN_KEY_VERSION, "no manifest for " + keyId + " v" + version
                    + " on node " + nodeId);
        }
        return entry;
    }

    private static Holder holderOf(Manifest manifest, String custodianId) throws RefusedException {
        for (Holder h : manifest.holders()) {
            if (h.custodianId().equals(custodianId)) {
                return h;
            }
        }
        throw new RefusedException(RefusalReason.UNKNOWN_CUSTODIAN, "custodian " + custodianId + " is not pinned in "
                + manifest.keyId() + " v" + manifest.version());
    }

    private void verifyCoordinator(Kind kind, String digest, byte[] signature, String what) throws RefusedException {
        try {
            CoordinatorStatement.verify(coordinatorPublicKey, kind, digest, signature);
        } catch (SignatureException e) {
            throw new RefusedException(RefusalReason.BAD_COORDINATOR_SIGNATURE, what + " is not signed by the pinned"
                    + " coordinator: " + e.getMessage());
        }
    }

    private static Manifest parseManifest(String canonical) throws RefusedException {
        try {
            return Manifest.parse(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
    }

    /**
     * Parses a canonical request, remembering the last one: a request is validated and then
     * applied, and both read the same string, so it is parsed (and hashed) once.
     */
    private CanonicalRequest parseRequest(String canonical) throws RefusedException {
        if (canonical.equals(lastParsedCanonical)) {
            return lastParsed;
        }
        try {
            CanonicalRequest parsed = CanonicalRequest.parse(canonical.getBytes(StandardCharsets.UTF_8));
            lastParsedCanonical = canonical;
            lastParsed = parsed;
            return parsed;
        } catch (FormatException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
    }

    /** The custodians who may answer {@code requestId}: the holders in its key version's manifest. */
    List<String> custodiansOf(String requestId) throws RefusedException {
        RequestEntry entry = requestEntry(requestId);
        return manifestEntry(entry.request.keyId(), entry.request.version()).manifest.holders().stream()
                .map(Holder::custodianId).toList();
    }

    boolean holdsRequest(String requestId) {
        return requests.containsKey(requestId);
    }

    /** The id of the request an admission carries (parsed once with its validation). */
    String requestIdOf(NodeEvent.RequestAdmitted admitted) throws RefusedException {
        return parseRequest(admitted.canonical()).requestId();
    }

    /**
     * A digest of everything this ledger knows, in a fixed order, so that a ledger rebuilt from
     * the journal can be compared with the one a checkpoint described. The scan indexes
     * ({@code unsettled}, {@code shredding}) are left out: they are caches that scans prune,
     * derived from what is digested.
     */
    public byte[] stateDigest() {
        dev.keyescrow.server.checkpoint.StateDigest d = new dev.keyescrow.server.checkpoint.StateDigest("node");
        d.field(nodeId).field(coordinatorPublicKey).field(epoch);
        for (String key : new TreeSet<>(manifests.keySet())) {
            ManifestEntry entry = manifests.get(key);
            d.field("manifest").field(key).field(entry.manifest.digest());
            entry.countersignatures.forEach((custodian, signature) -> d.field(custodian).field(signature));
        }
        heldShares.values().forEach(h -> d.field("held").field(NodeEvents.encode(h)));
        new TreeMap<>(rotations).values().forEach(r -> d.field("rotation").field(NodeEvents.encode(r)));
        new TreeMap<>(shreds).values().forEach(c -> d.field("shred").field(NodeEvents.encode(c)));
        new TreeSet<>(tombstones).forEach(t -> d.field("tombstone").field(t));
        // only when there are any: checkpoints written before rollbacks existed still verify
        rollbacks.values().forEach(b -> d.field("rollback").field(NodeEvents.encode(b)));
        rollbackReceipts.values().forEach(r -> d.field("rollback-receipt").field(r.encode()));
        // likewise SIGN's journaled rounds: what makes a nonce spent must be vouched for too
        frostCommitments.values().forEach(c -> d.field("frost-committed").field(c.encode()));
        frostShares.values().forEach(m -> d.field("frost-signed").field(m.encode()));
        for (String id : new TreeSet<>(requests.keySet())) {
            RequestEntry entry = requests.get(id);
            d.field("request").field(id).field(entry.digest).field(entry.coordinatorSignature)
                    .field(entry.tally.verdict().name()).field(entry.cancelled ? 1 : 0);
            entry.tally.answers().forEach((custodian, decision) -> d.field(custodian).field(decision.name()));
            entry.tally.conflicted().forEach(custodian -> d.field("conflicted").field(custodian));
            entry.released.values().forEach(r -> d.field("released").field(NodeEvents.encode(r)));
            entry.localAnswers.forEach(a -> d.field("local").field(a.custodianId()).field(a.decision().name())
                    .field(a.signature()));
        }
        return d.finish();
    }

    private static String shareKey(String keyId, int version, int index) {
        return keyId + "/" + version + "/" + index;
    }
}
