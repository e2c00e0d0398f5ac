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
import dev.keyescrow.journal.ReplayHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
    private volatile Consumer<String> requestChanged = id -> { };

    private CoordinatorService(CoordinatorLedger ledger, Journal journal, Clock clock) {
        this.ledger = ledger;
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * Opens the journal in {@code stateDirectory} and rebuilds the ledger from it.
     *
     * @throws JournalCorruptException a complete record is missing, altered or re-signed: stop
     * @throws IOException             the files cannot be read, or hold an event this version cannot read
     */
    public static CoordinatorService open(Path stateDirectory, Signer identity, NodeRegistry nodes, Clock clock)
            throws IOException, JournalCorruptException {
        CoordinatorLedger ledger = new CoordinatorLedger(nodes, identity.publicKey());
        List<JournalRecord> records = new ArrayList<>();
        ReplayHandler collect = records::add;
        Journal journal = Journal.open(stateDirectory.resolve(JOURNAL_DIRECTORY), identity, clock, collect);
        CoordinatorService service = new CoordinatorService(ledger, journal, clock);
        try {
            for (JournalRecord record : records) {
                if (CoordinatorEvents.KIND.equals(record.kind())) {
                    CoordinatorEvent event = CoordinatorEvents.decode(record.body());
                    ledger.apply(event, record.time());
                    service.count(event.type());
                } else {
                    service.count(record.kind());
                }
            }
        } catch (FormatException | RuntimeException e) {
            journal.close();
            throw new IOException("the journal holds a coordinator event this version cannot apply: "
                    + e.getMessage(), e);
        }
        return service;
    }

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
        ledger.apply(event, record.time());
        count(event.type());
        if (event instanceof CoordinatorEvent.RequestStateChanged changed) {
            requestChanged.accept(changed.requestId());
        }
        return true;
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

    public synchronized List<KeyVersionView> versions(String keyId) {
        return ledger.versions(keyId);
    }

    public synchronized Optional<KeyVersionView> version(String keyId, int version) {
        return ledger.find(keyId, version);
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
        journal.close();
    }
}
