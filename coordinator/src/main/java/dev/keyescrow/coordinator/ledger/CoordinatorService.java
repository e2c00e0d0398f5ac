package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.enrolment.Retirement;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.request.ReshareHolder;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalCorruptException;
import dev.keyescrow.journal.JournalHead;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The coordinator's state behind its API: a {@link CoordinatorLedger} whose every change is
 * first written to the coordinator's signed journal (signed by its token's identity key).
 * An event is acknowledged only once durable; if the journal cannot be written the change
 * is refused (audit fails closed). On open, the journal is replayed into a fresh ledger.
 *
 * <p>Thread-safe: every method is synchronized. Callers on an event loop must call it from
 * a worker (it does disk and signing work).
 */
public final class CoordinatorService implements AutoCloseable {
    /** The journal's directory under the state directory. */
    public static final String JOURNAL_DIRECTORY = "journal";

    private final CoordinatorLedger ledger;
    private final Journal journal;
    private final Clock clock;
    private final Map<String, Long> kindCounts = new TreeMap<>();
    private final CheckpointWriter checkpoints;
    private volatile Consumer<String> requestChanged = id -> { };

    private CoordinatorService(CoordinatorLedger ledger, Journal journal, Clock clock, CheckpointWriter checkpoints) {
        this.ledger = ledger;
        this.journal = journal;
        this.clock = clock;
        this.checkpoints = checkpoints;
    }

    /**
     * Opens the journal in {@code stateDirectory} and rebuilds the ledger from it.
     *
     * @throws JournalCorruptException a complete record is missing, altered or re-signed: stop
     * @throws IOException             the files cannot be read, or hold an event this version cannot read
     */
    public static CoordinatorService open(Path stateDirectory, Signer identity, NodeRegistry nodes, Clock clock)
            throws IOException, JournalCorruptException {
        return open(stateDirectory, identity, nodes, clock, CheckpointSchedule.DEFAULT);
    }

    /**
     * As above, writing a checkpoint on {@code checkpoints}' schedule and at {@link #close}.
     * With a checkpoint in the journal directory, the records it covers are replayed without
     * their signature checks (its signature vouches for their hash chain) and the ledger's digest
     * after them must be the checkpoint's.
     *
     * @throws JournalCorruptException also when the checkpoint does not verify or does not match
     *                                 the journal: stop (delete the checkpoint file to start from
     *                                 a full replay once the journal is trusted)
     */
    public static CoordinatorService open(Path stateDirectory, Signer identity, NodeRegistry nodes, Clock clock,
            CheckpointSchedule checkpoints) throws IOException, JournalCorruptException {
        CoordinatorLedger ledger = new CoordinatorLedger(nodes, identity.publicKey());
        Map<String, Long> counts = new TreeMap<>();
        ReplayedJournal opened = CheckpointedReplay.open(stateDirectory.resolve(JOURNAL_DIRECTORY), identity, clock,
                LEDGER, new ReplayedLedger() {
                    @Override
                    public void apply(JournalRecord record) throws FormatException {
                        if (CoordinatorEvents.KIND.equals(record.kind())) {
                            CoordinatorEvent event = CoordinatorEvents.decode(record.body());
                            ledger.apply(event, record.time());
                            counts.merge(event.type(), 1L, Long::sum);
                        } else {
                            counts.merge(record.kind(), 1L, Long::sum);
                        }
                    }

                    @Override
                    public byte[] stateDigest() {
                        return ledger.stateDigest();
                    }
                });
        CoordinatorService service = new CoordinatorService(ledger, opened.journal(), clock,
                new CheckpointWriter(opened, LEDGER, ledger::stateDigest, checkpoints));
        service.kindCounts.putAll(counts);
        return service;
    }

    /** The ledger name in the coordinator's checkpoints. */
    static final String LEDGER = "coordinator";

    /**
     * Validates {@code event}, journals it, applies it.
     *
     * @return {@code false} if it changed nothing (an idempotent repeat), which is not journaled
     * @throws RefusedException   the event breaks a rule; nothing changed
     * @throws IOException        the journal could not be written; nothing acknowledged
     * @throws KeyEscrowException the token could not sign the record; nothing acknowledged
     */
    public synchronized boolean submit(CoordinatorEvent event) throws IOException, KeyEscrowException {
        if (!ledger.validate(event, clock.instant())) {
            return false;
        }
        JournalRecord record = journal.append(CoordinatorEvents.KIND, CoordinatorEvents.encode(event));
        applyJournaled(event, record);
        return true;
    }

    /**
     * Submits a burst of events together: each is validated against the ledger as it would be
     * after the earlier events of the burst; a refused one refuses only itself; the accepted
     * ones are journaled with as few appends as their order allows (one batch, one fsync, when
     * no event depends on an earlier one of the burst, see {@link EventFootprint}); then each
     * is applied, in order. Nothing is applied before it is durable.
     *
     * @return one outcome per event, in order; after a journal or token failure, that event and
     *         every later one is {@link SubmitOutcome.Status#NOT_JOURNALED}
     */
    public synchronized List<SubmitOutcome> submitAll(List<CoordinatorEvent> events) {
        List<SubmitOutcome> outcomes = new ArrayList<>(events.size());
        List<Integer> round = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            CoordinatorEvent event = events.get(i);
            Set<String> footprint = EventFootprint.of(event);
            if (EventFootprint.overlaps(taken, footprint) || round.size() == MAX_RECORDS_PER_APPEND) {
                if (!journalRound(events, round, outcomes)) {
                    failRest(outcomes, events.size());
                    return outcomes;
                }
                taken.clear();
            }
            try {
                if (ledger.validate(event, clock.instant())) {
                    outcomes.add(null); // decided when its round is journaled
                    round.add(i);
                    taken.addAll(footprint);
                } else {
                    outcomes.add(SubmitOutcome.UNCHANGED);
                }
            } catch (RefusedException e) {
                outcomes.add(SubmitOutcome.refused(e));
            }
        }
        if (!journalRound(events, round, outcomes)) {
            failRest(outcomes, events.size());
        }
        return outcomes;
    }

    /** Most events journaled in one append (well within what one journal batch takes). */
    static final int MAX_RECORDS_PER_APPEND = 128;

    /** Journals the validated events at {@code round} in one append and applies them; false if it failed. */
    private boolean journalRound(List<CoordinatorEvent> events, List<Integer> round, List<SubmitOutcome> outcomes) {
        if (round.isEmpty()) {
            return true;
        }
        List<byte[]> bodies = new ArrayList<>(round.size());
        for (int i : round) {
            bodies.add(CoordinatorEvents.encode(events.get(i)));
        }
        List<JournalRecord> records;
        try {
            records = journal.appendAll(CoordinatorEvents.KIND, bodies);
        } catch (IOException | KeyEscrowException | RuntimeException e) {
            for (int i : round) {
                outcomes.set(i, SubmitOutcome.notJournaled(e));
            }
            round.clear();
            return false;
        }
        for (int k = 0; k < round.size(); k++) {
            applyJournaled(events.get(round.get(k)), records.get(k));
            outcomes.set(round.get(k), SubmitOutcome.JOURNALED);
        }
        round.clear();
        return true;
    }

    private static void failRest(List<SubmitOutcome> outcomes, int size) {
        Exception cause = outcomes.stream().filter(o -> o != null && o.status() == SubmitOutcome.Status.NOT_JOURNALED)
                .map(SubmitOutcome::problem).findFirst().orElseThrow();
        IOException notTried = new IOException("not journaled: an earlier event of the batch failed (" +
                cause.getMessage() + ")", cause);
        while (outcomes.size() < size) {
            outcomes.add(SubmitOutcome.notJournaled(notTried));
        }
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) == null) {
                outcomes.set(i, SubmitOutcome.notJournaled(notTried));
            }
        }
    }

    private void applyJournaled(CoordinatorEvent event, JournalRecord record) {
        ledger.apply(event, record.time());
        count(event.type());
        checkpoints.appended(record.sequence());
        if (event instanceof CoordinatorEvent.RequestStateChanged changed) {
            requestChanged.accept(changed.requestId());
        }
    }

    /**
     * Tells {@code listener} the id of each request whose state changes, right after the
     * change is journaled and applied; it runs under this service's lock, so it must only
     * hand the id on (long polls use it).
     */
    public void onRequestChanged(Consumer<String> listener) {
        requestChanged = Objects.requireNonNull(listener, "listener");
    }

    private void count(String kind) {
        kindCounts.merge(kind, 1L, Long::sum);
    }

    public synchronized List<Custodian> custodians() {
        return ledger.custodians();
    }

    public synchronized Optional<Custodian> custodian(String id) {
        return ledger.custodian(id);
    }

    public synchronized Optional<Retirement> retirement(String custodianId) {
        return ledger.retirement(custodianId);
    }

    /**
     * The registered, not retired custodian {@code id}, who may be named as a holder.
     *
     * @throws RefusedException 422 naming why not
     */
    public synchronized Custodian holderCandidate(String id, String where) throws RefusedException {
        Custodian c = ledger.custodian(id).orElseThrow(() -> new RefusedException(RefusalReason.INVALID,
                where + "custodian " + id + (where.isEmpty() ? " is" : ", who is") + " not registered"));
        Optional<Retirement> retired = ledger.retirement(id);
        if (retired.isPresent()) {
            throw new RefusedException(RefusalReason.INVALID, where + "custodian " + id + (where.isEmpty() ? "" : ",")
                    + " was retired (" + retired.get().reason() + ") and cannot hold a share");
        }
        return c;
    }

    public synchronized AuditSignatures signatures() {
        return ledger.signatures();
    }

    /**
     * The registered custodians a RESHARE names, each exactly as the request names it: the
     * request carries keys and nodes so that the approving custodians see them, the successor
     * is built from the registry, so the two must agree.
     */
    public synchronized List<Custodian> custodiansOf(RequestParams.Reshare reshare) throws RefusedException {
        List<Custodian> custodians = new ArrayList<>();
        for (ReshareHolder h : reshare.holders()) {
            Custodian c = holderCandidate(h.custodianId(), "RESHARE names ");
            if (!h.hasKey(c.publicKey()) || !h.nodeId().equals(c.nodeId())) {
                throw new RefusedException(RefusalReason.INVALID, "RESHARE names custodian " + h.custodianId()
                        + " with another key or node than registered (" + c.nodeId() + ")");
            }
            custodians.add(c);
        }
        return custodians;
    }

    public synchronized boolean isKeyIdTaken(String keyId) {
        return ledger.isKeyIdTaken(keyId);
    }

    public synchronized int nextVersion(String keyId) {
        return ledger.nextVersion(keyId);
    }

    public synchronized List<String> keyIds() {
        return ledger.keyIds();
    }

    /** See {@link CoordinatorLedger#keyIdsAfter}. */
    public synchronized List<String> keyIdsAfter(String after, int limit) {
        return ledger.keyIdsAfter(after, limit);
    }

    public synchronized List<KeyVersionView> versions(String keyId) {
        return ledger.versions(keyId);
    }

    public synchronized Optional<KeyVersionView> version(String keyId, int version) {
        return ledger.find(keyId, version);
    }

    /** See {@link CoordinatorLedger#rollbacksAwaitingReceipts}. */
    public synchronized List<Manifest> rollbacksAwaitingReceipts() {
        return ledger.rollbacksAwaitingReceipts();
    }

    public synchronized List<Manifest> runningCeremonies() {
        return ledger.runningCeremonies();
    }

    public synchronized Optional<RequestView> request(String requestId) {
        return ledger.request(requestId, clock.instant());
    }

    public synchronized List<RequestView> requests() {
        return ledger.requests(clock.instant());
    }

    public synchronized Optional<String> sealedKey(String requestId) {
        return ledger.sealedKey(requestId);
    }

    public synchronized Optional<byte[]> inlineEnvelope(String requestId) {
        return ledger.inlineEnvelope(requestId);
    }

    public synchronized Optional<QuorumTally.Verdict> verdict(String requestId) {
        return ledger.verdict(requestId);
    }

    public synchronized List<String> dueExpiries() {
        return ledger.dueExpiries(clock.instant());
    }

    public Instant now() {
        return clock.instant();
    }

    /** The journal's head: sequence and hash, for {@code GET /v1/audit}. */
    /** The coordinator's journal head signed by its key, to publish; empty while the journal is empty. */
    public synchronized java.util.Optional<dev.keyescrow.journal.SignedHead> signedHead(String coordinatorId)
            throws dev.keyescrow.core.error.KeyEscrowException {
        return journal.head().sequence() == 0 ? java.util.Optional.empty()
                : java.util.Optional.of(journal.publishHead(coordinatorId));
    }

    public synchronized JournalHead head() {
        return journal.head();
    }

    /** Records so far (replayed and appended) by event type, for the audit summary. */
    public synchronized Map<String, Long> recordCounts() {
        return new TreeMap<>(kindCounts);
    }

    public Path journalFile() {
        return journal.file();
    }

    public byte[] writerPublicKey() {
        return journal.writerPublicKey();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            checkpoints.write();
        } finally {
            journal.close();
        }
    }

    /** See {@link CoordinatorLedger#isRecordedAnswerOfFinishedRequest}. */
    public synchronized boolean isRecordedAnswerOfFinishedRequest(dev.keyescrow.core.request.Approval approval) {
        return ledger.isRecordedAnswerOfFinishedRequest(approval);
    }

    /** The digest of the ledger's state (what a checkpoint records), to compare two starts. */
    public synchronized byte[] stateDigest() {
        return ledger.stateDigest();
    }

    /** The sequence of the checkpoint this service started from (0: a full replay). */
    public long startedFromCheckpoint() {
        return checkpoints.startedFrom();
    }
}
