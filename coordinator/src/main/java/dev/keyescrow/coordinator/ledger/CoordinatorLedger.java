package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.enrolment.Retirement;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.AnswerOutcome;
import dev.keyescrow.core.policy.AnswerRefusedException;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.Statements;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The coordinator's view of custodians, key versions (staged, created, countersigned, their
 * NIST states) and requests (answers, releases, shreds, states).
 *
 * <p>{@link #validate} checks an event against the state without changing anything and
 * re-verifies every signature the event carries under the pinned key it must come from
 * (a node's identity key, a custodian's key from the manifest, the coordinator's own key),
 * so nothing unverified can enter the journal; {@link #apply} changes the state and never
 * fails for an event that validated, so a journaled event always replays. Not thread-safe:
 * one owner ({@link CoordinatorService}) drives it.
 */
public final class CoordinatorLedger {
    /**
     * The answer the last validation checked (signature included): applying that same answer
     * object right after does not verify it again. Replay checks every answer.
     */
    private QuorumTally.CheckedAnswer lastChecked;

    private final NodeRegistry nodes;
    private final byte[] coordinatorPublicKey;
    private final Map<String, Custodian> custodians = new LinkedHashMap<>();
    private final Map<String, Retirement> retirements = new TreeMap<>();
    private final java.util.NavigableMap<String, TreeMap<Integer, VersionEntry>> keys = new TreeMap<>();
    private final Map<String, VersionEntry> ceremonies = new HashMap<>();
    /**
     * Rolled-back ceremonies, by {@code keyId/version}: the rollbacks some holder has not
     * receipted are published again at start and when a member joins. The manifests and import
     * receipts are derived from the ceremony-started and ceremony-failed records; the rollback
     * receipts are state of their own (in the digest).
     */
    private final Map<String, RolledBackCeremony> rolledBack = new TreeMap<>();
    /**
     * The epochs of every shred and rollback receipt journaled, by node: each receipt names the
     * epoch rotation that made it, so a rollback receipt with an epoch the node used already is
     * refused (a second guard since rollback receipts name their rollback; old-form receipts did
     * not). Derived from those receipts.
     */
    private final Map<String, Set<Long>> receiptEpochs = new HashMap<>();
    private final Map<String, TreeMap<Integer, String>> failedCeremonies = new HashMap<>();
    private final Map<String, RequestEntry> requests = new LinkedHashMap<>();

    private static final class VersionEntry {
        final Manifest manifest;
        final String canonical;
        final byte[] publicKey;
        final Map<Integer, CoordinatorEvent.ReceiptVerified> receipts = new TreeMap<>();
        final Map<String, byte[]> countersignatures = new TreeMap<>();
        final List<Transition> history = new ArrayList<>();
        final Set<Integer> shredded = new TreeSet<>();
        byte[] coordinatorSignature;
        KeyState state;

        VersionEntry(Manifest manifest, String canonical, byte[] publicKey) {
            this.manifest = manifest;
            this.canonical = canonical;
            this.publicKey = publicKey.clone();
        }

        KeyVersionView view() {
            return new KeyVersionView(manifest, canonical, coordinatorSignature, countersignatures, state, history,
                    shredded, publicKey);
        }
    }

    private static final class RequestEntry {
        final CanonicalRequest request;
        final String canonical;
        final byte[] signature;
        /** The sealed-key store's id of the request's ephemeral key, or null for a record with the envelope inline. */
        final String sealedKey;
        final byte[] ephemeralEnvelope;
        final List<Transition> history = new ArrayList<>();
        final Map<Integer, String> releases = new TreeMap<>();
        final List<BadRelease> badReleases = new ArrayList<>();
        final Set<String> shreddedNodes = new TreeSet<>();
        final Set<String> deniers = new TreeSet<>();
        /** Every answer counted, as journaled, with the node that published it (for the audit). */
        final List<AuditSignatures.Answer> answers = new ArrayList<>();
        final List<CoordinatorEvent.ShredVerified> shreds = new ArrayList<>();
        List<byte[]> signatures = List.of();
        QuorumTally tally;
        RequestState state = RequestState.PENDING;

        RequestEntry(CanonicalRequest request, String canonical, byte[] signature, String sealedKey,
                byte[] ephemeralEnvelope, QuorumTally tally) {
            this.request = request;
            this.canonical = canonical;
            this.signature = signature;
            this.sealedKey = sealedKey;
            this.ephemeralEnvelope = ephemeralEnvelope;
            this.tally = tally;
        }
    }

    public CoordinatorLedger(NodeRegistry nodes, byte[] coordinatorPublicKey) {
        this.nodes = nodes;
        this.coordinatorPublicKey = coordinatorPublicKey.clone();
    }

    /**
     * Whether {@code approval} is an answer this ledger already counted for a request that has
     * finished: it verifies under the custodian's pinned key for this request (checked at the
     * request's creation time, as a replay does, so expiry since then does not matter) and the
     * tally recorded that custodian with that decision (or recorded its conflicting answers).
     * A node that restarts re-publishes its custodians' answers; those are expected, not attacks.
     */
    public boolean isRecordedAnswerOfFinishedRequest(dev.keyescrow.core.request.Approval approval) {
        RequestEntry entry = requests.get(approval.requestId());
        if (entry == null || !entry.state.isTerminal()) {
            return false;
        }
        try {
            QuorumTally.CheckedAnswer checked = entry.tally.check(approval, entry.request.createdAt());
            return entry.tally.outcomeOf(checked) == AnswerOutcome.REPEATED
                    || entry.tally.conflicted().contains(approval.custodianId());
        } catch (AnswerRefusedException e) {
            return false;
        }
    }

    /**
     * A digest of everything this ledger knows, in a fixed order, so that a ledger rebuilt from
     * the journal can be compared with the one a checkpoint described.
     */
    public byte[] stateDigest() {
        dev.keyescrow.server.checkpoint.StateDigest d = new dev.keyescrow.server.checkpoint.StateDigest("coordinator");
        d.field(coordinatorPublicKey);
        new TreeMap<>(custodians).values().forEach(c -> d.field("custodian").field(c.id()).field(c.publicKey())
                .field(c.nodeId()).field(c.registeredAt().toEpochMilli()));
        keys.forEach((keyId, versions) -> versions.forEach((version, v) -> {
            d.field("version").field(keyId).field(version).field(v.canonical).field(v.publicKey)
                    .field(v.coordinatorSignature == null ? new byte[0] : v.coordinatorSignature)
                    .field(v.state == null ? "-" : v.state.name());
            v.receipts.values().forEach(r -> d.field("receipt").field(CoordinatorEvents.encode(r)));
            v.countersignatures.forEach((custodian, signature) -> d.field(custodian).field(signature));
            v.history.forEach(t -> digest(d, t));
            v.shredded.forEach(index -> d.field("shredded").field(index));
        }));
        new TreeSet<>(ceremonies.keySet()).forEach(c -> d.field("ceremony").field(c));
        rolledBack.values().forEach(c -> c.receipts.values().forEach(r -> d.field("rollback-receipt")
                .field(CoordinatorEvents.encode(r))));
        new TreeMap<>(failedCeremonies).forEach((keyId, failed) -> failed.forEach((version, why) ->
                d.field("failed").field(keyId).field(version).field(why)));
        for (String id : new TreeSet<>(requests.keySet())) {
            RequestEntry r = requests.get(id);
            d.field("request").field(id).field(r.canonical).field(r.signature)
                    .field(r.sealedKey == null ? "-" : r.sealedKey)
                    .field(r.ephemeralEnvelope == null ? new byte[0] : r.ephemeralEnvelope).field(r.state.name());
            r.history.forEach(t -> digest(d, t));
            r.releases.forEach((index, node) -> d.field("release").field(index).field(node));
            r.badReleases.forEach(b -> d.field("bad").field(b.index()).field(b.nodeId()).field(b.problem()));
            r.shreddedNodes.forEach(n -> d.field("shred").field(n));
            r.deniers.forEach(n -> d.field("denier").field(n));
            r.tally.answers().forEach((custodian, decision) -> d.field(custodian).field(decision.name()));
            r.tally.conflicted().forEach(c -> d.field("conflicted").field(c));
        }
        return d.finish();
    }

    private static void digest(dev.keyescrow.server.checkpoint.StateDigest d, Transition t) {
        d.field("transition").field(t.state()).field(t.reason() == null ? "-" : t.reason())
                .field(t.at() == null ? -1 : t.at().toEpochMilli());
    }

    private static String versionKey(String keyId, int version) {
        return keyId + "/" + version;
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks {@code event} against the state at {@code now}.
     *
     * @return whether applying it changes anything ({@code false} for an idempotent repeat)
     * @throws RefusedException naming what is wrong; nothing changed
     */
    public boolean validate(CoordinatorEvent event, Instant now) throws RefusedException {
        if (event instanceof CoordinatorEvent.CustodianRegistered c) {
            return validateCustodian(c);
        } else if (event instanceof CoordinatorEvent.CustodianRetired r) {
            return validateRetirement(r);
        } else if (event instanceof CoordinatorEvent.CeremonyStarted c) {
            validateCeremony(parseManifest(c.manifest()));
            return true;
        } else if (event instanceof CoordinatorEvent.ReceiptVerified r) {
            VersionEntry entry = ceremony(r.keyId(), r.version());
            Holder holder = holder(entry.manifest, r.index());
            if (!holder.nodeId().equals(r.nodeId())) {
                throw new RefusedException(RefusalReason.INVALID, "share " + r.index() + " of " + r.keyId() + " v"
                        + r.version() + " is assigned to node " + holder.nodeId() + ", not " + r.nodeId());
            }
            ShareRef ref = new ShareRef(r.keyId(), r.version(), r.index(), r.length());
            verifyNode(r.nodeId(), NodeStatements.importReceipt(r.nodeId(), ref, r.envelopeDigest(),
                    r.storedBlobDigest()), r.signature(), "import receipt of share " + r.index());
            return !entry.receipts.containsKey(r.index());
        } else if (event instanceof CoordinatorEvent.CeremonyFailed f) {
            ceremony(f.keyId(), f.version());
            return true;
        } else if (event instanceof CoordinatorEvent.VersionCreated v) {
            VersionEntry entry = ceremony(v.keyId(), v.version());
            if (entry.receipts.size() != entry.manifest.shareCount()) {
                throw new RefusedException(RefusalReason.WRONG_STATE, v.keyId() + " v" + v.version() + " has "
                        + entry.receipts.size() + " of " + entry.manifest.shareCount() + " import receipts");
            }
            try {
                CoordinatorStatement.verify(coordinatorPublicKey, Kind.MANIFEST, entry.manifest.digest(),
                        v.coordinatorSignature());
            } catch (SignatureException e) {
                throw new RefusedException(RefusalReason.BAD_SIGNATURE, "manifest signature: " + e.getMessage());
            }
            return true;
        } else if (event instanceof CoordinatorEvent.Countersigned c) {
            VersionEntry entry = version(c.keyId(), c.version());
            Holder holder = custodianHolder(entry.manifest, c.custodianId());
            try {
                entry.manifest.verifyCountersignature(holder.custodianId(), c.signature());
            } catch (SignatureException e) {
                throw new RefusedException(RefusalReason.BAD_SIGNATURE, "countersignature of " + c.custodianId()
                        + " over " + c.keyId() + " v" + c.version() + ": " + e.getMessage());
            }
            return !entry.countersignatures.containsKey(c.custodianId());
        } else if (event instanceof CoordinatorEvent.VersionStateChanged s) {
            VersionEntry entry = version(s.keyId(), s.version());
            if (entry.state == s.state()) {
                return false;
            }
            if (!entry.state.successors().contains(s.state())) {
                throw new RefusedException(RefusalReason.WRONG_STATE, s.keyId() + " v" + s.version()
                        + " cannot move from " + entry.state + " to " + s.state());
            }
            if (s.state() == KeyState.ACTIVE && entry.countersignatures.size() != entry.manifest.shareCount()) {
                throw new RefusedException(RefusalReason.WRONG_STATE, s.keyId() + " v" + s.version()
                        + " is not countersigned by every custodian yet");
            }
            return true;
        } else if (event instanceof CoordinatorEvent.RequestCreated r) {
            return validateRequest(r, now);
        } else if (event instanceof CoordinatorEvent.AnswerCounted a) {
            RequestEntry entry = request(a.approval().requestId());
            requireNotRetired(a.approval().custodianId(), "answer", RefusalReason.INVALID);
            if (entry.state.isTerminal()) {
                throw new RefusedException(RefusalReason.WRONG_STATE, "request " + entry.request.requestId() + " is "
                        + entry.state);
            }
            try {
                lastChecked = entry.tally.check(a.approval(), now);
                return entry.tally.outcomeOf(lastChecked) != AnswerOutcome.REPEATED;
            } catch (AnswerRefusedException e) {
                throw new RefusedException(e.reason() == AnswerRefusedException.Reason.EXPIRED ? RefusalReason.EXPIRED
                        : RefusalReason.BAD_SIGNATURE, e.getMessage());
            }
        } else if (event instanceof CoordinatorEvent.ReleaseAccepted r) {
            RequestEntry entry = request(r.requestId());
            Holder holder = holder(manifestOf(entry.request), r.index());
            if (!holder.nodeId().equals(r.nodeId())) {
                throw new RefusedException(RefusalReason.INVALID, "share " + r.index() + " is held by "
                        + holder.nodeId() + ", not " + r.nodeId());
            }
            return !entry.releases.containsKey(r.index());
        } else if (event instanceof CoordinatorEvent.SignaturesMade m) {
            RequestEntry entry = request(m.requestId());
            if (!(entry.request.params() instanceof RequestParams.Sign sign) || entry.state != RequestState.APPROVED) {
                throw new RefusedException(RefusalReason.WRONG_STATE, "request " + m.requestId()
                        + " is no approved SIGN request");
            }
            byte[] groupKey = manifestOf(entry.request).frost().groupPublicKey();
            List<byte[]> signatures = m.signatures();
            if (signatures.size() != sign.count()) {
                throw new RefusedException(RefusalReason.INVALID, "one signature per message");
            }
            for (int j = 0; j < signatures.size(); j++) {
                byte[] message = sign.message(j);
                if (signatures.get(j).length != 64 || !org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
                        signatures.get(j), 0, groupKey, 0, message, 0, message.length)) {
                    throw new RefusedException(RefusalReason.INVALID, "signature " + (j + 1) + " of " + m.requestId()
                            + " does not verify under the group public key");
                }
            }
            return entry.signatures.isEmpty();
        } else if (event instanceof CoordinatorEvent.ReleaseRefused r) {
            RequestEntry entry = request(r.requestId());
            return entry.badReleases.stream().noneMatch(b -> b.index() == r.index() && b.nodeId().equals(r.nodeId())
                    && b.problem().equals(r.problem()));
        } else if (event instanceof CoordinatorEvent.RequestStateChanged s) {
            RequestEntry entry = request(s.requestId());
            if (entry.state == s.state()) {
                return false;
            }
            if (!entry.state.successors().contains(s.state())) {
                throw new RefusedException(RefusalReason.WRONG_STATE, "request " + s.requestId() + " is "
                        + entry.state + " and cannot become " + s.state());
            }
            // the quorum rule lives here, not only in the workflow that proposes the change
            QuorumTally.Verdict verdict = entry.tally.verdict();
            if (s.state() == RequestState.APPROVED && verdict != QuorumTally.Verdict.APPROVED
                    || s.state() == RequestState.DENIED && verdict != QuorumTally.Verdict.DENIED) {
                throw new RefusedException(RefusalReason.WRONG_STATE, "request " + s.requestId() + " has "
                        + entry.tally.approvers().size() + " of " + entry.tally.threshold() + " approvals counted ("
                        + verdict + ") and cannot become " + s.state());
            }
            return true;
        } else if (event instanceof CoordinatorEvent.RollbackReceiptVerified r) {
            return validateRollbackReceipt(r);
        } else if (event instanceof CoordinatorEvent.ShredVerified s) {
            RequestEntry entry = request(s.requestId());
            if (!entry.request.operation().shreds()) {
                throw new RefusedException(RefusalReason.INVALID, "request " + s.requestId() + " is a "
                        + entry.request.operation() + ", which shreds nothing");
            }
            Manifest manifest = manifestOf(entry.request);
            List<ShareRef> refs = new ArrayList<>();
            for (String label : s.destroyed()) {
                refs.add(shreddableShare(label, entry.request, manifest, s.nodeId()));
            }
            if (refs.stream().map(ShareRef::index).distinct().count() != refs.size()) {
                throw new RefusedException(RefusalReason.INVALID, "shred receipt of node " + s.nodeId()
                        + " names a share twice");
            }
            verifyNode(s.nodeId(), Statements.shredReceipt(s.nodeId(), s.epoch(), refs), s.signature(),
                    "shred receipt");
            return !entry.shreddedNodes.contains(s.nodeId());
        }
        throw new IllegalArgumentException("unknown event " + event.type());
    }

    /**
     * A node's receipt for a rollback: the version's ceremony was rolled back, the receipt names
     * that ceremony's manifest digest, the node holds a share in its manifest, every destroyed
     * share is one the manifest places on that node, a share whose import the node had receipted
     * is among them, the epoch is one no other receipt of that node used, and the node's rollback
     * receipt statement, which names the rollback, verifies under the node's pinned key. The old
     * form (a shred statement, which names no rollback, so any receipt of the node that destroyed
     * nothing of the version passed) is replayed from old journals but never accepted.
     */
    private boolean validateRollbackReceipt(CoordinatorEvent.RollbackReceiptVerified r) throws RefusedException {
        if (r.legacy()) {
            throw new RefusedException(RefusalReason.INVALID, "a rollback receipt must name its rollback: a shred"
                    + " receipt is not one");
        }
        RolledBackCeremony rolled = rolledBack.get(versionKey(r.keyId(), r.version()));
        if (rolled == null) {
            throw new RefusedException(RefusalReason.WRONG_STATE, "no ceremony of " + r.keyId() + " v" + r.version()
                    + " was rolled back");
        }
        if (!rolled.manifest.digest().equals(r.manifestDigest())) {
            throw new RefusedException(RefusalReason.INVALID, "rollback receipt of node " + r.nodeId()
                    + " names another ceremony of " + r.keyId() + " v" + r.version());
        }
        if (!rolled.holderNodes().contains(r.nodeId())) {
            throw new RefusedException(RefusalReason.INVALID, "node " + r.nodeId() + " holds no share of "
                    + r.keyId() + " v" + r.version());
        }
        List<ShareRef> refs = new ArrayList<>();
        Set<Integer> indices = new TreeSet<>();
        for (String label : r.destroyed()) {
            ShareRef ref = parseShareLabel(label);
            if (!ref.keyId().equals(r.keyId()) || ref.version() != r.version()
                    || !holder(rolled.manifest, ref.index()).nodeId().equals(r.nodeId()) || !indices.add(ref.index())) {
                throw new RefusedException(RefusalReason.INVALID, "rollback receipt of node " + r.nodeId()
                        + " names share " + label + ", not one of its shares of " + r.keyId() + " v" + r.version());
            }
            refs.add(ref);
        }
        for (Holder h : rolled.manifest.holders()) {
            if (h.nodeId().equals(r.nodeId()) && rolled.imported.contains(h.index()) && !indices.contains(h.index())) {
                throw new RefusedException(RefusalReason.INVALID, "rollback receipt of node " + r.nodeId()
                        + " leaves out share " + h.index() + ", whose import it receipted");
            }
        }
        verifyNode(r.nodeId(), Statements.rollbackReceipt(r.nodeId(), r.keyId(), r.version(), r.manifestDigest(),
                r.epoch(), refs), r.signature(), "rollback receipt");
        if (rolled.receipts.containsKey(r.nodeId())) {
            return false;
        }
        requireFreshEpoch(r.nodeId(), r.epoch());
        return true;
    }

    private void requireFreshEpoch(String nodeId, long epoch) throws RefusedException {
        if (receiptEpochs.getOrDefault(nodeId, Set.of()).contains(epoch)) {
            throw new RefusedException(RefusalReason.INVALID, "node " + nodeId + " already receipted a shred with"
                    + " epoch " + epoch + ": a receipt is not reused");
        }
    }

    private boolean validateCustodian(CoordinatorEvent.CustodianRegistered c) throws RefusedException {
        if (!Identifiers.isValid(c.custodianId())) {
            throw new RefusedException(RefusalReason.INVALID, "custodian id must match [a-z0-9][a-z0-9-]{0,63}");
        }
        if (c.publicKey() == null || c.publicKey().length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new RefusedException(RefusalReason.INVALID, "publicKey must be the raw 32-byte Ed25519 key");
        }
        if (!Ed25519.isValidPublicKey(c.publicKey())) {
            throw new RefusedException(RefusalReason.INVALID, "publicKey is not an Ed25519 point of prime order");
        }
        if (nodes.find(c.nodeId()).isEmpty()) {
            throw new RefusedException(RefusalReason.INVALID, "node " + c.nodeId() + " is not enrolled");
        }
        requireNotRetired(c.custodianId(), "be registered again", RefusalReason.CONFLICT);
        Custodian existing = custodians.get(c.custodianId());
        if (existing != null) {
            if (java.util.Arrays.equals(existing.publicKey(), c.publicKey()) && existing.nodeId().equals(c.nodeId())) {
                return false;
            }
            throw new RefusedException(RefusalReason.CONFLICT, "custodian " + c.custodianId()
                    + " is registered with another key or node; a custodian key is replaced only by RESHARE");
        }
        // one key, one custodian: a shared key would let one person's approval count twice
        for (Custodian other : custodians.values()) {
            if (java.util.Arrays.equals(other.publicKey(), c.publicKey())) {
                throw new RefusedException(RefusalReason.CONFLICT, "publicKey is already the key of custodian "
                        + other.id() + "; every custodian has a key of their own");
            }
        }
        return true;
    }

    /**
     * A retirement is refused while the id still counts for something: a share of a key version
     * that is not DESTROYED (or of a ceremony running now), or a place among the new holders of
     * a RESHARE that may still be approved. The refusal names each of them.
     */
    private boolean validateRetirement(CoordinatorEvent.CustodianRetired r) throws RefusedException {
        if (!custodians.containsKey(r.custodianId())) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no custodian " + r.custodianId() + " is registered");
        }
        try {
            Retirement.requireReason(r.reason());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
        if (retirements.containsKey(r.custodianId())) {
            return false;
        }
        List<String> uses = new ArrayList<>();
        keys.forEach((keyId, versions) -> versions.values().forEach(v -> {
            if (v.state != KeyState.DESTROYED && holds(v.manifest, r.custodianId())) {
                uses.add(keyId + " v" + v.manifest.version() + " (" + v.state + ")");
            }
        }));
        ceremonies.values().forEach(v -> {
            if (holds(v.manifest, r.custodianId())) {
                uses.add(v.manifest.keyId() + " v" + v.manifest.version() + " (ceremony running)");
            }
        });
        requests.values().forEach(e -> {
            if (!e.state.isTerminal() && e.request.params() instanceof RequestParams.Reshare reshare
                    && reshare.holders().stream().anyMatch(h -> h.custodianId().equals(r.custodianId()))) {
                uses.add("RESHARE " + e.request.requestId() + " of " + e.request.keyId() + " (" + e.state + ")");
            }
        });
        if (!uses.isEmpty()) {
            throw new RefusedException(RefusalReason.CONFLICT, "custodian " + r.custodianId() + " is still used by "
                    + String.join(", ", uses) + "; destroy those versions or reshare them to other custodians first");
        }
        return true;
    }

    private static boolean holds(Manifest manifest, String custodianId) {
        return manifest.holders().stream().anyMatch(h -> h.custodianId().equals(custodianId));
    }

    /** A retired id can do nothing any more: {@code what} names what was tried. */
    private void requireNotRetired(String custodianId, String what, RefusalReason reason) throws RefusedException {
        Retirement retired = retirements.get(custodianId);
        if (retired != null) {
            throw new RefusedException(reason, "custodian "
                    + custodianId + " was retired (" + retired.reason() + ") and cannot " + what
                    + "; register the person under a new id with a new key");
        }
    }

    private void validateCeremony(Manifest manifest) throws RefusedException {
        String keyId = manifest.keyId();
        if (ceremonies.containsKey(versionKey(keyId, manifest.version()))) {
            throw new RefusedException(RefusalReason.CONFLICT, "a ceremony for " + keyId + " v" + manifest.version()
                    + " is already running");
        }
        if (manifest.version() != nextVersion(keyId)) {
            throw new RefusedException(RefusalReason.CONFLICT, keyId + " v" + manifest.version()
                    + " is not the key's next version (" + nextVersion(keyId) + ")");
        }
        for (Holder h : manifest.holders()) {
            Custodian c = custodians.get(h.custodianId());
            if (c == null) {
                throw new RefusedException(RefusalReason.INVALID, "custodian " + h.custodianId()
                        + " is not registered");
            }
            requireNotRetired(h.custodianId(), "hold a share", RefusalReason.INVALID);
            if (!java.util.Arrays.equals(c.publicKey(), h.publicKey()) || !c.nodeId().equals(h.nodeId())) {
                throw new RefusedException(RefusalReason.INVALID, "holder " + h.index() + " does not match custodian "
                        + h.custodianId() + "'s registration");
            }
        }
    }

    private boolean validateRequest(CoordinatorEvent.RequestCreated r, Instant now) throws RefusedException {
        CanonicalRequest request;
        try {
            request = CanonicalRequest.parse(r.canonical().getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
        try {
            CoordinatorStatement.verify(coordinatorPublicKey, Kind.REQUEST, request.digest(), r.coordinatorSignature());
        } catch (SignatureException e) {
            throw new RefusedException(RefusalReason.BAD_SIGNATURE, "request signature: " + e.getMessage());
        }
        RequestEntry existing = requests.get(request.requestId());
        if (existing != null) {
            if (existing.request.digest().equals(request.digest())) {
                return false;
            }
            throw new RefusedException(RefusalReason.CONFLICT, "request " + request.requestId() + " exists");
        }
        VersionEntry entry = version(request.keyId(), request.version());
        checkOperationAllowed(request.operation(), entry);
        if (request.isExpiredAt(now)) {
            throw new RefusedException(RefusalReason.EXPIRED, "request " + request.requestId() + " has expired");
        }
        return true;
    }

    /** Which key states each operation may start from (design: Requests; NIST SP 800-57). */
    private static void checkOperationAllowed(Operation operation, VersionEntry entry) throws RefusedException {
        if (entry.manifest.scheme() == dev.keyescrow.core.integrity.KeyScheme.FROST && switch (operation) {
            case USE, EXPORT, REFRESH, RESHARE -> true;
            default -> false;
        }) {
            // each of these rebuilds the key from its shares; a FROST key is never rebuilt
            throw new RefusedException(RefusalReason.INVALID, operation + " is not available for "
                    + entry.manifest.keyId() + ": it is a FROST key, which is never rebuilt (it only signs by quorum;"
                    + " ROTATE makes a new key by DKG; DESTROY and COMPROMISE work as for every key)");
        }
        if (operation == Operation.SIGN && entry.manifest.scheme() != dev.keyescrow.core.integrity.KeyScheme.FROST) {
            throw new RefusedException(RefusalReason.INVALID, "SIGN is for FROST keys; " + entry.manifest.keyId()
                    + " is a SHAMIR key: request USE and sign in its session");
        }
        KeyState state = entry.state;
        boolean allowed = switch (operation) {
            case USE, EXPORT -> state.processes();
            case SIGN -> state == KeyState.ACTIVE;
            case ROTATE, REFRESH, RESHARE -> state == KeyState.ACTIVE;
            case COMPROMISE -> state == KeyState.ACTIVE || state == KeyState.DEACTIVATED;
            case DESTROY -> state != KeyState.PRE_ACTIVE && state != KeyState.DESTROYED;
        };
        if (!allowed) {
            throw new RefusedException(RefusalReason.WRONG_STATE, operation + " is not allowed while "
                    + entry.manifest.keyId() + " v" + entry.manifest.version() + " is " + state);
        }
    }

    // ---------------------------------------------------------------- application

    /** Applies a validated event; {@code at} is the journal record's time. */
    public void apply(CoordinatorEvent event, Instant at) {
        if (event instanceof CoordinatorEvent.CustodianRegistered c) {
            custodians.putIfAbsent(c.custodianId(), new Custodian(c.custodianId(), c.publicKey(), c.nodeId(), at));
        } else if (event instanceof CoordinatorEvent.CustodianRetired r) {
            retirements.putIfAbsent(r.custodianId(), new Retirement(r.custodianId(), r.operator(), r.reason(), at));
        } else if (event instanceof CoordinatorEvent.CeremonyStarted c) {
            Manifest manifest = parseManifestUnchecked(c.manifest());
            ceremonies.put(versionKey(manifest.keyId(), manifest.version()), new VersionEntry(manifest, c.manifest(),
                    c.publicKey()));
        } else if (event instanceof CoordinatorEvent.ReceiptVerified r) {
            ceremonies.get(versionKey(r.keyId(), r.version())).receipts.putIfAbsent(r.index(), r);
        } else if (event instanceof CoordinatorEvent.CeremonyFailed f) {
            VersionEntry failed = ceremonies.remove(versionKey(f.keyId(), f.version()));
            if (failed != null) {
                rolledBack.put(versionKey(f.keyId(), f.version()), new RolledBackCeremony(failed.manifest,
                        failed.receipts.keySet()));
            }
            failedCeremonies.computeIfAbsent(f.keyId(), k -> new TreeMap<>()).put(f.version(), f.reason());
        } else if (event instanceof CoordinatorEvent.VersionCreated v) {
            VersionEntry entry = ceremonies.remove(versionKey(v.keyId(), v.version()));
            entry.coordinatorSignature = v.coordinatorSignature().clone();
            entry.state = KeyState.PRE_ACTIVE;
            entry.history.add(new Transition(KeyState.PRE_ACTIVE.name(), "every share imported and receipted", at));
            keys.computeIfAbsent(v.keyId(), k -> new TreeMap<>()).put(v.version(), entry);
        } else if (event instanceof CoordinatorEvent.Countersigned c) {
            keys.get(c.keyId()).get(c.version()).countersignatures.putIfAbsent(c.custodianId(), c.signature().clone());
        } else if (event instanceof CoordinatorEvent.VersionStateChanged s) {
            VersionEntry entry = keys.get(s.keyId()).get(s.version());
            entry.state = s.state();
            entry.history.add(new Transition(s.state().name(), s.reason(), at));
        } else if (event instanceof CoordinatorEvent.RequestCreated r) {
            CanonicalRequest request = parseRequestUnchecked(r.canonical());
            Manifest manifest = keys.get(request.keyId()).get(request.version()).manifest;
            RequestEntry entry = new RequestEntry(request, r.canonical(), r.coordinatorSignature().clone(),
                    r.sealedKey(), r.ephemeralEnvelope() == null ? null : r.ephemeralEnvelope().clone(),
                    QuorumTally.start(request, manifest));
            entry.history.add(new Transition(RequestState.PENDING.name(), "signed and published", at));
            requests.put(request.requestId(), entry);
        } else if (event instanceof CoordinatorEvent.AnswerCounted a) {
            RequestEntry entry = requests.get(a.approval().requestId());
            try {
                // validated before it was journaled; replayed at the request's creation time so an
                // answer given before expiry still counts when the journal is replayed after it
                QuorumTally.CheckedAnswer checked = lastChecked;
                lastChecked = null;
                entry.tally = checked != null && checked.approval() == a.approval() && entry.tally.accepts(checked)
                        ? entry.tally.with(checked) : entry.tally.with(a.approval(), entry.request.createdAt());
                entry.answers.add(new AuditSignatures.Answer(a.nodeId(), a.approval()));
                if (a.approval().decision() == Decision.DENY) {
                    entry.deniers.add(a.approval().custodianId());
                }
            } catch (AnswerRefusedException e) {
                throw new IllegalStateException("a journaled answer no longer verifies: " + e.getMessage(), e);
            }
        } else if (event instanceof CoordinatorEvent.ReleaseAccepted r) {
            requests.get(r.requestId()).releases.putIfAbsent(r.index(), r.nodeId());
        } else if (event instanceof CoordinatorEvent.SignaturesMade m) {
            requests.get(m.requestId()).signatures = m.signatures();
        } else if (event instanceof CoordinatorEvent.ReleaseRefused r) {
            requests.get(r.requestId()).badReleases.add(new BadRelease(r.index(), r.nodeId(), r.problem()));
        } else if (event instanceof CoordinatorEvent.RequestStateChanged s) {
            RequestEntry entry = requests.get(s.requestId());
            entry.state = s.state();
            entry.history.add(new Transition(s.state().name(), s.reason(), at));
        } else if (event instanceof CoordinatorEvent.RollbackReceiptVerified r) {
            rolledBack.get(versionKey(r.keyId(), r.version())).receipts.putIfAbsent(r.nodeId(), r);
            receiptEpochs.computeIfAbsent(r.nodeId(), n -> new HashSet<>()).add(r.epoch());
        } else if (event instanceof CoordinatorEvent.ShredVerified s) {
            RequestEntry entry = requests.get(s.requestId());
            receiptEpochs.computeIfAbsent(s.nodeId(), n -> new HashSet<>()).add(s.epoch());
            entry.shreddedNodes.add(s.nodeId());
            entry.shreds.add(s);
            VersionEntry version = keys.get(entry.request.keyId()).get(entry.request.version());
            // validate checked that every label is a share of this version held by that node
            for (String label : s.destroyed()) {
                version.shredded.add(Integer.parseInt(label.substring(label.lastIndexOf('/') + 1)));
            }
        }
    }

    // ---------------------------------------------------------------- queries

    public List<Custodian> custodians() {
        return List.copyOf(custodians.values());
    }

    public Optional<Custodian> custodian(String id) {
        return Optional.ofNullable(custodians.get(id));
    }

    /** The retirement of a custodian id, if it was retired. */
    public Optional<Retirement> retirement(String custodianId) {
        return Optional.ofNullable(retirements.get(custodianId));
    }

    /**
     * Every countersignature, counted answer and import and shred receipt, in the order of key
     * versions and requests, as journaled ({@link AuditSignatures}).
     */
    public AuditSignatures signatures() {
        List<AuditSignatures.Countersignature> countersignatures = new ArrayList<>();
        List<CoordinatorEvent.ReceiptVerified> imports = new ArrayList<>();
        keys.values().forEach(versions -> versions.values().forEach(v -> {
            v.countersignatures.forEach((custodian, signature) -> countersignatures.add(
                    new AuditSignatures.Countersignature(v.manifest.keyId(), v.manifest.version(), custodian,
                            signature)));
            imports.addAll(v.receipts.values());
        }));
        List<AuditSignatures.Answer> answers = new ArrayList<>();
        List<CoordinatorEvent.ShredVerified> shreds = new ArrayList<>();
        requests.values().forEach(e -> {
            answers.addAll(e.answers);
            shreds.addAll(e.shreds);
        });
        List<CoordinatorEvent.RollbackReceiptVerified> rollbacks = new ArrayList<>();
        rolledBack.values().forEach(c -> rollbacks.addAll(c.receipts.values()));
        return new AuditSignatures(countersignatures, answers, imports, shreds, rollbacks);
    }

    /** Whether {@code keyId} names a key, a running ceremony or a failed one. */
    public boolean isKeyIdTaken(String keyId) {
        return keys.containsKey(keyId) || failedCeremonies.containsKey(keyId)
                || ceremonies.keySet().stream().anyMatch(k -> k.startsWith(keyId + "/"));
    }

    /** The next version number of {@code keyId} (failed ceremonies' numbers are never reused). */
    public int nextVersion(String keyId) {
        int last = 0;
        if (keys.containsKey(keyId)) {
            last = Math.max(last, keys.get(keyId).lastKey());
        }
        if (failedCeremonies.containsKey(keyId)) {
            last = Math.max(last, failedCeremonies.get(keyId).lastKey());
        }
        return last + 1;
    }

    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /**
     * Up to {@code limit} key ids in order, those after {@code after} (from the first when
     * {@code null}): a page of {@code GET /v1/keys}. The cursor is a key id, so a page does not
     * shift when keys are created while a client walks the list.
     */
    public List<String> keyIdsAfter(String after, int limit) {
        java.util.NavigableMap<String, ?> view = after == null ? keys : keys.tailMap(after, false);
        List<String> out = new ArrayList<>(Math.min(limit, view.size()));
        for (String id : view.keySet()) {
            if (out.size() == limit) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    public List<KeyVersionView> versions(String keyId) {
        TreeMap<Integer, VersionEntry> versions = keys.get(keyId);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().map(VersionEntry::view).toList();
    }

    public Optional<KeyVersionView> find(String keyId, int version) {
        TreeMap<Integer, VersionEntry> versions = keys.get(keyId);
        return versions == null || !versions.containsKey(version) ? Optional.empty()
                : Optional.of(versions.get(version).view());
    }

    /** The manifests of rolled-back ceremonies that some holder's node has not receipted yet. */
    public List<Manifest> rollbacksAwaitingReceipts() {
        return rolledBack.values().stream().filter(RolledBackCeremony::awaitsReceipts).map(c -> c.manifest).toList();
    }

    /** Unfinished ceremonies (keyId/version), to roll back after a restart. */
    public List<Manifest> runningCeremonies() {
        return ceremonies.values().stream().map(e -> e.manifest).toList();
    }

    public Optional<RequestView> request(String requestId, Instant now) {
        RequestEntry entry = requests.get(requestId);
        return entry == null ? Optional.empty() : Optional.of(view(entry, now));
    }

    public List<RequestView> requests(Instant now) {
        return requests.values().stream().map(e -> view(e, now)).toList();
    }

    /** The ephemeral-key envelope journaled with a request. */
    /** The sealed-key store's id of the request's ephemeral key (empty for an older record with the envelope inline). */
    public Optional<String> sealedKey(String requestId) {
        RequestEntry entry = requests.get(requestId);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.sealedKey);
    }

    /** The sealed envelope an older record carries inline (empty for records that name a stored key). */
    public Optional<byte[]> inlineEnvelope(String requestId) {
        RequestEntry entry = requests.get(requestId);
        return entry == null || entry.ephemeralEnvelope == null ? Optional.empty()
                : Optional.of(entry.ephemeralEnvelope.clone());
    }

    /** The quorum verdict the coordinator counted itself. */
    public Optional<QuorumTally.Verdict> verdict(String requestId) {
        RequestEntry entry = requests.get(requestId);
        return entry == null ? Optional.empty() : Optional.of(entry.tally.verdict());
    }

    /** Requests still waiting for their quorum or releases whose time is over at {@code now}. */
    public List<String> dueExpiries(Instant now) {
        List<String> due = new ArrayList<>();
        requests.forEach((id, e) -> {
            if (awaitsQuorum(e) && e.request.isExpiredAt(now)) {
                due.add(id);
            }
        });
        return due;
    }

    /**
     * Whether the request still waits for its quorum or its releases: only then does its TTL
     * end it. An ACTIVE session runs on its own, approved time budget.
     */
    private static boolean awaitsQuorum(RequestEntry e) {
        return e.state == RequestState.PENDING || e.state == RequestState.APPROVED;
    }

    private static RequestView view(RequestEntry e, Instant now) {
        RequestState state = awaitsQuorum(e) && e.request.isExpiredAt(now) ? RequestState.EXPIRED : e.state;
        Set<String> deniers = new TreeSet<>(e.deniers);
        deniers.addAll(e.tally.conflicted());
        return new RequestView(e.request, e.canonical, e.signature, state, e.history, e.tally.approvers(),
                deniers, e.tally.threshold(), e.releases, e.badReleases, e.shreddedNodes, e.signatures);
    }

    // ---------------------------------------------------------------- helpers

    private VersionEntry ceremony(String keyId, int version) throws RefusedException {
        VersionEntry entry = ceremonies.get(versionKey(keyId, version));
        if (entry == null) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no ceremony is running for " + keyId + " v" + version);
        }
        return entry;
    }

    private VersionEntry version(String keyId, int version) throws RefusedException {
        TreeMap<Integer, VersionEntry> versions = keys.get(keyId);
        if (versions == null || !versions.containsKey(version)) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no key version " + keyId + " v" + version);
        }
        return versions.get(version);
    }

    private RequestEntry request(String requestId) throws RefusedException {
        RequestEntry entry = requests.get(requestId);
        if (entry == null) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no request " + requestId);
        }
        return entry;
    }

    private Manifest manifestOf(CanonicalRequest request) {
        return keys.get(request.keyId()).get(request.version()).manifest;
    }

    private static Holder holder(Manifest manifest, int index) throws RefusedException {
        if (index < 1 || index > manifest.shareCount()) {
            throw new RefusedException(RefusalReason.INVALID, "share index " + index + " is not in [1, "
                    + manifest.shareCount() + "] for " + manifest.keyId() + " v" + manifest.version());
        }
        return manifest.holders().get(index - 1);
    }

    private static Holder custodianHolder(Manifest manifest, String custodianId) throws RefusedException {
        return manifest.holders().stream().filter(h -> h.custodianId().equals(custodianId)).findFirst()
                .orElseThrow(() -> new RefusedException(RefusalReason.INVALID, "custodian " + custodianId
                        + " holds no share of " + manifest.keyId() + " v" + manifest.version()));
    }

    private void verifyNode(String nodeId, byte[] statement, byte[] signature, String what) throws RefusedException {
        EnrolledNode node = nodes.find(nodeId).orElseThrow(() -> new RefusedException(RefusalReason.INVALID,
                "node " + nodeId + " is not enrolled"));
        try {
            EcdsaP256.verify(node.identityPublicKey(), statement, signature);
        } catch (SignatureException e) {
            throw new RefusedException(RefusalReason.BAD_SIGNATURE, what + " from node " + nodeId
                    + " does not verify under its pinned identity key: " + e.getMessage());
        }
    }

    /**
     * A destroyed share named by a shred receipt, checked against everything {@code apply}
     * assumes: a share of the request's own key version, inside its manifest, held by the
     * node that signed. A receipt that names anything else is a lie, refused before the journal.
     */
    private static ShareRef shreddableShare(String label, CanonicalRequest request, Manifest manifest, String nodeId)
            throws RefusedException {
        ShareRef ref = parseShareLabel(label);
        if (!ref.keyId().equals(request.keyId()) || ref.version() != request.version()) {
            throw new RefusedException(RefusalReason.INVALID, "shred receipt of node " + nodeId + " names share "
                    + label + ", not a share of " + request.keyId() + " v" + request.version());
        }
        if (!holder(manifest, ref.index()).nodeId().equals(nodeId)) {
            throw new RefusedException(RefusalReason.INVALID, "shred receipt of node " + nodeId + " names share "
                    + label + ", which the manifest does not place on that node");
        }
        return ref;
    }

    /**
     * {@code keyId/version/index} as a share reference. The shred statement carries no length,
     * so the reference's length is a placeholder that the statement never reads.
     */
    private static ShareRef parseShareLabel(String label) throws RefusedException {
        String[] parts = label.split("/", -1);
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("not keyId/version/index");
            }
            return new ShareRef(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 1);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, "destroyed share \"" + label + "\" is not "
                    + "keyId/version/index");
        }
    }

    private static Manifest parseManifest(String canonical) throws RefusedException {
        try {
            return Manifest.parse(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
    }

    private static Manifest parseManifestUnchecked(String canonical) {
        try {
            return Manifest.parse(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new IllegalStateException("a validated manifest no longer parses", e);
        }
    }

    private static CanonicalRequest parseRequestUnchecked(String canonical) {
        try {
            return CanonicalRequest.parse(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new IllegalStateException("a validated request no longer parses", e);
        }
    }
}
