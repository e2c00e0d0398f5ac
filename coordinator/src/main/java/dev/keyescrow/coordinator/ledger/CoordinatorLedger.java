package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.enrolment.Retirement;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator's view of custodians, key versions (staged, created, countersigned, their
 * NIST states) and requests (answers, releases, shreds, states).
 *
 * <p>Each aggregate has its own rule set — {@link CustodianRules}, {@link KeyVersionRules},
 * {@link RequestRules}, {@link ShareRules} (where each share went) — and this class sends
 * every event to the one that owns it. {@link #validate} checks an event against the state
 * without changing anything and re-verifies every signature the event carries under the
 * pinned key it must come from (a node's identity key, a custodian's key from the manifest,
 * the coordinator's own key), so nothing unverified can enter the journal; {@link #apply}
 * changes the state and never fails for an event that validated, so a journaled event always
 * replays. Not thread-safe: one owner ({@link CoordinatorService}) drives it.
 */
public final class CoordinatorLedger {
    private final byte[] coordinatorPublicKey;
    private final CustodianRules custodians;
    private final KeyVersionRules versions;
    private final RequestRules requests;
    private final ShareRules shares;

    public CoordinatorLedger(NodeRegistry nodes, byte[] coordinatorPublicKey) {
        this.coordinatorPublicKey = coordinatorPublicKey.clone();
        this.custodians = new CustodianRules(nodes, this::usesOf);
        this.versions = new KeyVersionRules(custodians, this.coordinatorPublicKey);
        this.requests = new RequestRules(versions, custodians, this.coordinatorPublicKey);
        this.shares = new ShareRules(nodes, versions, requests);
    }

    /** What a custodian id still counts for: versions, running ceremonies, open RESHAREs. */
    private List<String> usesOf(String custodianId) {
        List<String> uses = new ArrayList<>(versions.usesOf(custodianId));
        uses.addAll(requests.usesOf(custodianId));
        return uses;
    }

    /**
     * Checks {@code event} against the state at {@code now}.
     *
     * @return whether applying it changes anything ({@code false} for an idempotent repeat)
     * @throws RefusedException naming what is wrong; nothing changed
     */
    public boolean validate(CoordinatorEvent event, Instant now) throws RefusedException {
        return switch (aggregateOf(event)) {
            case CUSTODIANS -> custodians.validate(event);
            case KEY_VERSIONS -> versions.validate(event);
            case REQUESTS -> requests.validate(event, now);
            case SHARES -> shares.validate(event);
        };
    }

    /** Applies a validated event; {@code at} is the journal record's time. */
    public void apply(CoordinatorEvent event, Instant at) {
        switch (aggregateOf(event)) {
            case CUSTODIANS -> custodians.apply(event, at);
            case KEY_VERSIONS -> versions.apply(event, at);
            case REQUESTS -> requests.apply(event, at);
            case SHARES -> shares.apply(event);
        }
    }

    private enum Aggregate { CUSTODIANS, KEY_VERSIONS, REQUESTS, SHARES }

    private static Aggregate aggregateOf(CoordinatorEvent event) {
        if (event instanceof CoordinatorEvent.CustodianRegistered || event instanceof CoordinatorEvent.CustodianRetired) {
            return Aggregate.CUSTODIANS;
        }
        if (event instanceof CoordinatorEvent.CeremonyStarted || event instanceof CoordinatorEvent.CeremonyFailed
                || event instanceof CoordinatorEvent.VersionCreated || event instanceof CoordinatorEvent.Countersigned
                || event instanceof CoordinatorEvent.VersionStateChanged) {
            return Aggregate.KEY_VERSIONS;
        }
        if (event instanceof CoordinatorEvent.RequestCreated || event instanceof CoordinatorEvent.AnswerCounted
                || event instanceof CoordinatorEvent.SignaturesMade
                || event instanceof CoordinatorEvent.RequestStateChanged) {
            return Aggregate.REQUESTS;
        }
        if (event instanceof CoordinatorEvent.ReceiptVerified || event instanceof CoordinatorEvent.ReleaseAccepted
                || event instanceof CoordinatorEvent.ReleaseRefused || event instanceof CoordinatorEvent.ShredVerified
                || event instanceof CoordinatorEvent.RollbackReceiptVerified) {
            return Aggregate.SHARES;
        }
        throw new IllegalArgumentException("unknown event " + event.type());
    }

    /**
     * Whether {@code approval} is an answer this ledger already counted for a request that has
     * finished: it verifies under the custodian's pinned key for this request (checked at the
     * request's creation time, as a replay does, so expiry since then does not matter) and the
     * tally recorded that custodian with that decision (or recorded its conflicting answers).
     * A node that restarts re-publishes its custodians' answers; those are expected, not attacks.
     */
    public boolean isRecordedAnswerOfFinishedRequest(Approval approval) {
        return requests.isRecordedAnswerOfFinishedRequest(approval);
    }

    /**
     * A digest of everything this ledger knows, in a fixed order, so that a ledger rebuilt from
     * the journal can be compared with the one a checkpoint described.
     */
    public byte[] stateDigest() {
        StateDigest d = new StateDigest("coordinator");
        d.field(coordinatorPublicKey);
        custodians.digest(d);
        versions.digest(d);
        requests.digest(d);
        return d.finish();
    }

    static void digest(StateDigest d, Transition t) {
        d.field("transition").field(t.state()).field(t.reason() == null ? "-" : t.reason())
                .field(t.at() == null ? -1 : t.at().toEpochMilli());
    }

    // ---------------------------------------------------------------- queries

    public List<Custodian> custodians() {
        return custodians.all();
    }

    public Optional<Custodian> custodian(String id) {
        return custodians.find(id);
    }

    /** The retirement of a custodian id, if it was retired. */
    public Optional<Retirement> retirement(String custodianId) {
        return custodians.retirement(custodianId);
    }

    /**
     * Every countersignature, counted answer and import and shred receipt, in the order of key
     * versions and requests, as journaled ({@link AuditSignatures}).
     */
    public AuditSignatures signatures() {
        List<AuditSignatures.Countersignature> countersignatures = new ArrayList<>();
        List<CoordinatorEvent.ReceiptVerified> imports = new ArrayList<>();
        List<CoordinatorEvent.RollbackReceiptVerified> rollbacks = new ArrayList<>();
        versions.collectSignatures(countersignatures, imports, rollbacks);
        List<AuditSignatures.Answer> answers = new ArrayList<>();
        List<CoordinatorEvent.ShredVerified> shreds = new ArrayList<>();
        requests.collectSignatures(answers, shreds);
        return new AuditSignatures(countersignatures, answers, imports, shreds, rollbacks);
    }

    /** Whether {@code keyId} names a key, a running ceremony or a failed one. */
    public boolean isKeyIdTaken(String keyId) {
        return versions.isKeyIdTaken(keyId);
    }

    /** The next version number of {@code keyId} (failed ceremonies' numbers are never reused). */
    public int nextVersion(String keyId) {
        return versions.nextVersion(keyId);
    }

    public List<String> keyIds() {
        return versions.keyIds();
    }

    /**
     * Up to {@code limit} key ids in order, those after {@code after} (from the first when
     * {@code null}): a page of {@code GET /v1/keys}. The cursor is a key id, so a page does not
     * shift when keys are created while a client walks the list.
     */
    public List<String> keyIdsAfter(String after, int limit) {
        return versions.keyIdsAfter(after, limit);
    }

    public List<KeyVersionView> versions(String keyId) {
        return versions.versions(keyId);
    }

    public Optional<KeyVersionView> find(String keyId, int version) {
        return versions.find(keyId, version);
    }

    /** The manifests of rolled-back ceremonies that some holder's node has not receipted yet. */
    public List<Manifest> rollbacksAwaitingReceipts() {
        return versions.rollbacksAwaitingReceipts();
    }

    /** Unfinished ceremonies (keyId/version), to roll back after a restart. */
    public List<Manifest> runningCeremonies() {
        return versions.runningCeremonies();
    }

    public Optional<RequestView> request(String requestId, Instant now) {
        return requests.view(requestId, now);
    }

    public List<RequestView> requests(Instant now) {
        return requests.views(now);
    }

    /** The sealed-key store's id of the request's ephemeral key (empty for an older record with the envelope inline). */
    public Optional<String> sealedKey(String requestId) {
        return requests.sealedKey(requestId);
    }

    /** The sealed envelope an older record carries inline (empty for records that name a stored key). */
    public Optional<byte[]> inlineEnvelope(String requestId) {
        return requests.inlineEnvelope(requestId);
    }

    /** The quorum verdict the coordinator counted itself. */
    public Optional<QuorumTally.Verdict> verdict(String requestId) {
        return requests.verdict(requestId);
    }

    /** Requests still waiting for their quorum or releases whose time is over at {@code now}. */
    public List<String> dueExpiries(Instant now) {
        return requests.dueExpiries(now);
    }
}
