package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.policy.AnswerOutcome;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalCorruptException;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.server.checkpoint.CheckpointSchedule;
import dev.keyescrow.server.checkpoint.CheckpointWriter;
import dev.keyescrow.server.checkpoint.CheckpointedReplay;
import dev.keyescrow.server.checkpoint.ReplayedJournal;
import dev.keyescrow.server.checkpoint.ReplayedLedger;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The node's state behind its API: a {@link NodeLedger} whose every change is first written
 * to the node's signed journal. An event is acknowledged (the method returns) only once it
 * is durable; if the journal cannot be written, the change is refused (audit fails closed).
 * On open, the journal's events are replayed into a fresh ledger.
 *
 * <p>Thread-safe: every method is synchronized, so the ledger has one owner at a time.
 * Callers on an event loop must call it from a worker (it does disk and signing work).
 */
public final class NodeService implements AutoCloseable {
    private final NodeLedger ledger;
    private final Journal journal;
    private final Clock clock;
    private final CheckpointWriter checkpoints;
    private volatile Consumer<String> requestAdmitted = id -> { };

    private NodeService(NodeLedger ledger, Journal journal, Clock clock, CheckpointWriter checkpoints) {
        this.ledger = ledger;
        this.journal = journal;
        this.clock = clock;
        this.checkpoints = checkpoints;
    }

    /**
     * Opens the node's journal in {@code stateDirectory} and rebuilds the ledger from it.
     *
     * @throws JournalCorruptException a complete record is missing, altered or re-signed: the node must stop
     */
    public static NodeService open(String nodeId, byte[] coordinatorPublicKey, Path stateDirectory, Signer identity,
                                   Clock clock) throws IOException, JournalCorruptException {
        return open(nodeId, coordinatorPublicKey, stateDirectory, identity, clock, RequestTimeLimits.DEFAULT);
    }

    /** As {@link #open(String, byte[], Path, Signer, Clock)}, with the node's bounds on request times. */
    public static NodeService open(String nodeId, byte[] coordinatorPublicKey, Path stateDirectory, Signer identity,
                                   Clock clock, RequestTimeLimits timeLimits)
            throws IOException, JournalCorruptException {
        return open(nodeId, coordinatorPublicKey, stateDirectory, identity, clock, timeLimits,
                CheckpointSchedule.DEFAULT);
    }

    /**
     * As above, writing a checkpoint on {@code checkpoints}' schedule and at {@link #close}.
     * With a checkpoint in the journal directory, the records it covers are replayed without
     * their signature checks (its signature vouches for their hash chain) and the ledger's digest
     * after them must be the checkpoint's.
     *
     * @throws JournalCorruptException also when the checkpoint does not verify or does not match
     *                                 the journal: the node must stop (delete the checkpoint file
     *                                 to start from a full replay once the journal is trusted)
     */
    public static NodeService open(String nodeId, byte[] coordinatorPublicKey, Path stateDirectory, Signer identity,
                                   Clock clock, RequestTimeLimits timeLimits, CheckpointSchedule checkpoints)
            throws IOException, JournalCorruptException {
        NodeLedger ledger = new NodeLedger(nodeId, coordinatorPublicKey, timeLimits);
        ReplayedJournal opened = CheckpointedReplay.open(stateDirectory.resolve("journal"), identity, clock, LEDGER,
                new ReplayedLedger() {
                    @Override
                    public void apply(JournalRecord record) throws FormatException {
                        if (NodeEvents.KIND.equals(record.kind())) {
                            ledger.apply(NodeEvents.decode(record.body()));
                        }
                    }

                    @Override
                    public byte[] stateDigest() {
                        return ledger.stateDigest();
                    }
                });
        return new NodeService(ledger, opened.journal(), clock,
                new CheckpointWriter(opened, LEDGER, ledger::stateDigest, checkpoints));
    }

    /** The ledger name in this node's checkpoints. */
    static final String LEDGER = "node";

    /**
     * Validates {@code event}, journals it, applies it.
     *
     * @return {@code false} if it changed nothing (an idempotent repeat), which is not journaled
     * @throws NodeRefusedException   the event breaks a rule; nothing changed
     * @throws IOException        the journal could not be written; nothing acknowledged
     * @throws KeyEscrowException the node's key could not sign the record; nothing acknowledged
     */
    public synchronized boolean submit(NodeEvent event) throws NodeRefusedException, IOException, KeyEscrowException {
        if (!ledger.validate(event, clock.instant())) {
            return false;
        }
        JournalRecord record = journal.append(NodeEvents.KIND, NodeEvents.encode(event));
        ledger.apply(event);
        checkpoints.appended(record.sequence());
        if (event instanceof NodeEvent.RequestAdmitted admitted) {
            requestAdmitted.accept(ledger.requestIdOf(admitted));
        }
        return true;
    }

    /**
     * Tells {@code listener} the id of each request this node admits, right after it is
     * journaled and applied; it runs under this service's lock, so it must only hand the id
     * on (long polls use it).
     */
    public void onRequestAdmitted(Consumer<String> listener) {
        requestAdmitted = Objects.requireNonNull(listener, "listener");
    }

    /** The id of the request {@code admitted} carries. */
    public synchronized String requestIdOf(NodeEvent.RequestAdmitted admitted) throws NodeRefusedException {
        return ledger.requestIdOf(admitted);
    }

    /** The custodians who may answer {@code requestId} (the holders of its key version). */
    public synchronized List<String> custodiansOf(String requestId) throws NodeRefusedException {
        return ledger.custodiansOf(requestId);
    }

    /** Whether this node holds request {@code requestId}. */
    public synchronized boolean holdsRequest(String requestId) {
        return ledger.holdsRequest(requestId);
    }

    /**
     * A custodian's answer given at this node: checked (design: the approval contract),
     * journaled, counted. An identical repeat is refused as already answered; a contrary one
     * is accepted as a conflict (it counts as DENY and the caller raises an alert).
     */
    public synchronized AnswerOutcome answer(Approval approval)
            throws NodeRefusedException, IOException, KeyEscrowException {
        AnswerOutcome outcome = ledger.answerOutcome(approval, true, clock.instant());
        if (outcome == AnswerOutcome.REPEATED) {
            throw new NodeRefusedException(NodeRefusalReason.ALREADY_ANSWERED, "custodian " + approval.custodianId()
                    + " already answered request " + approval.requestId());
        }
        submit(new NodeEvent.AnswerAccepted(approval, true));
        return outcome;
    }

    public synchronized NodeRequestView view(String requestId) throws NodeRefusedException {
        return ledger.view(requestId, clock.instant());
    }

    public synchronized List<NodeRequestView> views(RequestState state) {
        return ledger.views(state, clock.instant());
    }

    /** Whether this key version's manifest is admitted and countersigned by every custodian. */
    /** The node's clock now. */
    public Instant now() {
        return clock.instant();
    }

    /** @throws NodeRefusedException if this node shredded shares of that version (a tombstone) */
    public synchronized void requireNotShredded(String keyId, int version) throws NodeRefusedException {
        ledger.requireNotShredded(keyId, version);
    }

    public synchronized boolean isRolledBack(String keyId, int version) {
        return ledger.isRolledBack(keyId, version);
    }

    public synchronized List<NodeEvent.CeremonyRolledBack> rollbacks() {
        return ledger.rollbacks();
    }

    /** The digest of the manifest this node pinned for {@code keyId} v{@code version}. */
    public synchronized String manifestDigest(String keyId, int version) throws NodeRefusedException {
        return ledger.manifestDigest(keyId, version);
    }

    public synchronized boolean isPinned(String keyId, int version) {
        return ledger.isPinned(keyId, version);
    }

    public synchronized List<String> heldShares() {
        return ledger.heldShares();
    }

    /** What this node keeps about the share {@code keyId/version/index}, if it holds it. */
    public synchronized java.util.Optional<NodeEvent.ShareHeld> held(String shareKey) {
        return ledger.heldShareDetails().stream().filter(h -> h.shareKey().equals(shareKey)).findFirst();
    }

    public synchronized List<NodeEvent.ShareHeld> heldShareDetails() {
        return ledger.heldShareDetails();
    }

    public synchronized dev.keyescrow.core.request.CanonicalRequest request(String requestId) throws NodeRefusedException {
        return ledger.request(requestId);
    }

    public synchronized List<Approval> localAnswers(String requestId) throws NodeRefusedException {
        return ledger.localAnswers(requestId);
    }

    public synchronized List<NodeEvent.ShareReleased> releases(String requestId) throws NodeRefusedException {
        return ledger.releases(requestId);
    }

    public synchronized List<String> dueShreds() {
        return ledger.dueShreds();
    }

    public synchronized java.util.Optional<NodeEvent.SharesRotated> rotation(String requestId) {
        return ledger.rotation(requestId);
    }

    /** This node's journaled receipt for the rollback {@code rollbackId}, if signed. */
    public synchronized java.util.Optional<dev.keyescrow.core.wire.RollbackReceiptMessage> rollbackReceipt(
            String rollbackId) {
        return ledger.rollbackReceipt(rollbackId);
    }

    public synchronized java.util.Optional<NodeEvent.ShredCompleted> shred(String requestId) {
        return ledger.shred(requestId);
    }

    public synchronized long epoch() {
        return ledger.epoch();
    }

    /** Requests whose releases this node owes now, with their due indices. */
    public synchronized java.util.Map<String, List<Integer>> allDueReleases() {
        return ledger.allDueReleases();
    }

    public synchronized List<Integer> dueReleases(String requestId) throws NodeRefusedException {
        return ledger.dueReleases(requestId);
    }

    /** See {@link NodeLedger#signingParams}. */
    public synchronized dev.keyescrow.core.request.RequestParams.Sign signingParams(String requestId, String digest,
            int index) throws NodeRefusedException {
        return ledger.signingParams(requestId, digest, nodeId(), index);
    }

    public synchronized java.util.Map<String, List<Integer>> dueFrostCommitments() {
        return ledger.dueFrostCommitments();
    }

    public synchronized java.util.Optional<dev.keyescrow.core.wire.FrostCommitmentMessage> frostCommitment(
            String requestId, int attempt, int index) {
        return ledger.frostCommitment(requestId, attempt, index);
    }

    public synchronized java.util.Optional<dev.keyescrow.core.wire.FrostShareMessage> frostShare(String requestId,
            int attempt, int index) {
        return ledger.frostShare(requestId, attempt, index);
    }

    public synchronized List<byte[]> frostMessages(String requestId, boolean shares) {
        return ledger.frostMessages(requestId, shares);
    }

    public synchronized dev.keyescrow.core.integrity.Manifest manifest(String keyId, int version)
            throws NodeRefusedException {
        return ledger.manifest(keyId, version);
    }

    public String nodeId() {
        return ledger.nodeId();
    }

    public synchronized byte[] coordinatorPublicKey() {
        return ledger.coordinatorPublicKey();
    }

    public byte[] identityPublicKey() {
        return journal.writerPublicKey();
    }

    /** This node's journal head signed by its identity key, to publish; empty while the journal is empty. */
    public synchronized java.util.Optional<dev.keyescrow.journal.SignedHead> signedHead() throws KeyEscrowException {
        return journal.head().sequence() == 0 ? java.util.Optional.empty()
                : java.util.Optional.of(journal.publishHead(ledger.nodeId()));
    }

    /** The journal's head: sequence and hash, for {@code GET /v1/audit}. */
    public synchronized dev.keyescrow.journal.JournalHead head() {
        return journal.head();
    }

    /** The digest of the ledger's state (what a checkpoint records), to compare two starts. */
    public synchronized byte[] stateDigest() {
        return ledger.stateDigest();
    }

    /** The sequence of the checkpoint this service started from (0: a full replay). */
    public long startedFromCheckpoint() {
        return checkpoints.startedFrom();
    }

    /** Writes a checkpoint (a clean stop: the next start replays nothing unverified), then closes the journal. */
    @Override
    public synchronized void close() throws IOException {
        try {
            checkpoints.write();
        } finally {
            journal.close();
        }
    }
}
