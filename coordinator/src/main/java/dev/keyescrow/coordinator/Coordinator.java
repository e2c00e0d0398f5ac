package dev.keyescrow.coordinator;

import dev.keyescrow.coordinator.ceremony.CreatedVersion;
import dev.keyescrow.coordinator.ceremony.DkgCeremony;
import dev.keyescrow.coordinator.ceremony.KeyCeremony;
import dev.keyescrow.coordinator.cluster.CoordinatorClusterBridge;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.Retirement;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.ledger.BadRelease;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.coordinator.quorum.EphemeralKeyVault;
import dev.keyescrow.coordinator.quorum.EphemeralKeys;
import dev.keyescrow.coordinator.quorum.MessageRetention;
import dev.keyescrow.coordinator.quorum.ReleaseVerifier;
import dev.keyescrow.coordinator.quorum.RequestIssuer;
import dev.keyescrow.coordinator.quorum.RequestWorkflow;
import dev.keyescrow.coordinator.quorum.SealedKeyStore;
import dev.keyescrow.coordinator.session.KeySession;
import dev.keyescrow.coordinator.session.KeySessions;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.journal.JournalCorruptException;
import dev.keyescrow.journal.JournalVerifier;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The coordinator application, without its HTTP transport: every operation the API offers,
 * each taking the authenticated operator where one is needed. Blocking (journal, token,
 * cluster): call it from worker threads. Refusals are {@link RefusedException}s naming the
 * problem; nothing changed when one is thrown.
 */
public final class Coordinator implements AutoCloseable {
    private final String id;
    private final NodeRegistry nodes;
    private Token token;
    private SealedKeyStore sealedKeys;
    private KeyIntake keys;
    private final CoordinatorService service;
    private final CoordinatorClusterBridge cluster;
    private final KeyCeremony ceremony;
    private final RequestIssuer issuer;
    private final RequestWorkflow workflow;
    private final KeySessions sessions;
    private final EphemeralKeys ephemeralKeys;
    private final ExecutorService background;
    private final SecureRandom random;
    private final Consumer<String> problems;
    private final dev.keyescrow.coordinator.ledger.JournalAudit audit;
    private final Housekeeping housekeeping;

    private Coordinator(String id, NodeRegistry nodes, CoordinatorService service, CoordinatorClusterBridge cluster,
            KeyCeremony ceremony, RequestIssuer issuer, RequestWorkflow workflow, KeySessions sessions,
            EphemeralKeys ephemeralKeys, ExecutorService background, SecureRandom random, Consumer<String> problems) {
        this.id = id;
        this.nodes = nodes;
        this.service = service;
        this.cluster = cluster;
        this.ceremony = ceremony;
        this.issuer = issuer;
        this.workflow = workflow;
        this.sessions = sessions;
        this.ephemeralKeys = ephemeralKeys;
        this.background = background;
        this.random = random;
        this.problems = problems;
        this.audit = new dev.keyescrow.coordinator.ledger.JournalAudit(
                () -> JournalVerifier.verify(service.journalFile(), service.writerPublicKey()), service::now);
        this.housekeeping = new Housekeeping(service, cluster, workflow, background, problems);
    }

    /**
     * Opens the journal in {@code stateDirectory} (replaying it), joins the cluster through
     * {@code hazelcast}, rolls back unfinished ceremonies, recovers the ephemeral keys of
     * pending requests, and starts listening to the nodes.
     *
     * @throws JournalCorruptException the journal was altered: stop, do not serve
     */
    public static Coordinator open(String id, NodeRegistry nodes, Path stateDirectory, Token token,
            HazelcastInstance hazelcast, Clock clock, SecureRandom random, Duration ceremonyTimeout,
            Consumer<String> problems) throws IOException, JournalCorruptException, KeyEscrowException {
        Identifiers.require(id, "coordinator id");
        CoordinatorService service = CoordinatorService.open(stateDirectory, token.identity(), nodes, clock);
        CoordinatorClusterBridge cluster = new CoordinatorClusterBridge(hazelcast, problems);
        ExecutorService background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "coordinator-background");
            t.setDaemon(true);
            return t;
        });
        KeyCeremony ceremony = new KeyCeremony(service, nodes, token.identity(), cluster, random, ceremonyTimeout,
                problems);
        EphemeralKeyVault vault = new EphemeralKeyVault(token);
        SealedKeyStore sealedKeys = SealedKeyStore.open(stateDirectory);
        EphemeralKeys keys = new EphemeralKeys();
        KeySessions sessions = new KeySessions(token, random);
        RequestIssuer issuer = new RequestIssuer(service, token.identity(), vault, sealedKeys, keys, cluster, random);
        DkgCeremony dkg = new DkgCeremony(service, nodes, token.identity(), cluster,
                ceremony, random, ceremonyTimeout, problems);
        RequestWorkflow workflow = new RequestWorkflow(service, new ReleaseVerifier(nodes), keys, vault, sealedKeys,
                sessions, ceremony, dkg, background, random, problems);
        Coordinator coordinator = new Coordinator(id, nodes, service, cluster, ceremony, issuer, workflow, sessions,
                keys, background, random, problems);
        coordinator.token = token;
        coordinator.keys = new KeyIntake(service, ceremony, dkg, token, random);
        coordinator.sealedKeys = sealedKeys;
        WorkflowAnnouncements.install(workflow, cluster, nodes, token, problems);
        try {
            ceremony.rollBackUnfinished();
            workflow.restore();
            cluster.start(new CoordinatorInbox(ceremony, workflow, dkg));
            // manifests are published again at start and whenever a member joins (see republishManifests)
            background.execute(ceremony::republishManifests);
            // and rollbacks: a node must shred the shares of a ceremony that never committed
            background.execute(ceremony::republishRollbacks);
            cluster.onMemberJoined(() -> background.execute(() -> {
                ceremony.republishManifests();
                ceremony.republishRollbacks();
            }));
        } catch (IOException | KeyEscrowException | RuntimeException e) {
            coordinator.close();
            throw e;
        }
        return coordinator;
    }

    public String id() {
        return id;
    }

    // ---------------------------------------------------------------- enrolment

    public Collection<EnrolledNode> nodes() {
        return nodes.all();
    }

    public Custodian registerCustodian(String operator, String custodianId, byte[] publicKey, String nodeId)
            throws RefusedException, IOException, KeyEscrowException {
        Identifiers.require(operator, "operator");
        service.submit(new CoordinatorEvent.CustodianRegistered(custodianId, publicKey, nodeId));
        return service.custodian(custodianId).orElseThrow();
    }

    public List<Custodian> custodians() {
        return service.custodians();
    }

    public Optional<Retirement> retirement(String custodianId) {
        return service.retirement(custodianId);
    }

    /**
     * Retires a custodian id that no live key version and no open RESHARE uses; journaled with
     * the operator and the reason. Retiring it again changes nothing and answers the first record.
     */
    public Retirement retireCustodian(String operator, String custodianId, String reason)
            throws RefusedException, IOException, KeyEscrowException {
        Identifiers.require(operator, "operator");
        service.submit(new CoordinatorEvent.CustodianRetired(custodianId, operator, reason));
        return service.retirement(custodianId).orElseThrow();
    }

    // ---------------------------------------------------------------- keys

    /**
     * Runs a key ceremony. The key id is {@code name} when that is a valid identifier not yet
     * taken, otherwise a generated one.
     */
    public CreatedVersion createKey(String operator, String name, KeyAlgorithm algorithm, int threshold,
            List<String> custodianIds) throws RefusedException, IOException, KeyEscrowException {
        return keys.createKey(operator, name, algorithm, threshold, custodianIds);
    }

    /**
     * As {@link #createKey(String, String, KeyAlgorithm, int, List)} with a scheme: FROST (Ed25519
     * only) makes the key by distributed key generation among the holders' nodes, so no one, the
     * coordinator included, ever holds it whole.
     */
    public CreatedVersion createKey(String operator, String name, KeyAlgorithm algorithm,
            dev.keyescrow.core.integrity.KeyScheme scheme, int threshold, List<String> custodianIds)
            throws RefusedException, IOException, KeyEscrowException {
        return keys.createKey(operator, name, algorithm, scheme, threshold, custodianIds);
    }

    /** Imports a key that exists outside this cluster as SHAMIR shares (see {@code KeyIntake}). */
    public CreatedVersion importKey(String operator, String name, KeyAlgorithm algorithm, int threshold,
            List<String> custodianIds, byte[] envelope, String expectedKcv)
            throws RefusedException, IOException, KeyEscrowException {
        return keys.importKey(operator, name, algorithm, threshold, custodianIds, envelope, expectedKcv);
    }

    /**
     * Imports a key that exists outside this cluster, wrapped to this coordinator's transport key,
     * as {@code scheme}; PRE_ACTIVE until every custodian has countersigned (see {@code KeyIntake}).
     */
    public CreatedVersion importKey(String operator, String name, KeyAlgorithm algorithm,
            dev.keyescrow.core.integrity.KeyScheme scheme, int threshold, List<String> custodianIds, byte[] envelope,
            String expectedKcv) throws RefusedException, IOException, KeyEscrowException {
        return keys.importKey(operator, name, algorithm, scheme, threshold, custodianIds, envelope, expectedKcv);
    }

    /** The coordinator's transport public key, to which an imported key is wrapped. */
    public byte[] transportPublicKey() {
        return token.transportPublicKey();
    }

    public List<String> keyIds() {
        return service.keyIds();
    }

    /** Up to {@code limit} key ids after {@code after} ({@code null}: from the first), in order. */
    public List<String> keyIdsAfter(String after, int limit) {
        return service.keyIdsAfter(after, limit);
    }

    public List<KeyVersionView> versions(String keyId) throws RefusedException {
        List<KeyVersionView> versions = service.versions(keyId);
        if (versions.isEmpty()) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no key " + keyId);
        }
        return versions;
    }

    public KeyVersionView version(String keyId, int version) throws RefusedException {
        return service.version(keyId, version).orElseThrow(() -> new RefusedException(RefusalReason.NOT_FOUND,
                "no key version " + keyId + " v" + version));
    }

    /** A custodian's countersignature; the signature is the credential (no operator needed). */
    public KeyState countersign(String keyId, int version, String custodianId, byte[] signature)
            throws RefusedException, IOException, KeyEscrowException {
        version(keyId, version);
        return ceremony.countersign(keyId, version, custodianId, signature);
    }

    // ---------------------------------------------------------------- requests


    /**
     * Issues a request for {@code version} of the key, or when null for its newest version that
     * allows the operation (the ACTIVE one; for USE and EXPORT also a DEACTIVATED or
     * COMPROMISED one, which only decrypts).
     */
    public RequestView createRequest(String operator, String keyId, Integer version, Operation operation,
            String reason, long ttlSeconds, RequestParams params)
            throws RefusedException, IOException, KeyEscrowException {
        if (params instanceof RequestParams.Reshare reshare) {
            KeyIntake.requireNoNodeHoldsAQuorum(service.custodiansOf(reshare), reshare.threshold());
        }
        List<KeyVersionView> versions = versions(keyId);
        int chosen;
        if (version != null) {
            chosen = version(keyId, version).version();
        } else {
            chosen = versions.stream().filter(v -> v.state() == KeyState.ACTIVE).mapToInt(KeyVersionView::version)
                    .max().orElse(versions.get(versions.size() - 1).version());
        }
        RequestView view = issuer.issue(operator, keyId, chosen, operation, reason, ttlSeconds, params);
        workflow.advance(view.requestId());
        return service.request(view.requestId()).orElseThrow();
    }

    /** Ids of the sealed ephemeral keys held now (one per request still waiting for its releases). */
    public Set<String> sealedKeyIds() {
        return sealedKeys.ids();
    }

    /** USE sessions open now. */
    public int openSessions() {
        return sessions.openCount();
    }

    /** The request, with the refused releases nobody pinned signed (kept in memory only) added to its view. */
    public RequestView request(String requestId) throws RefusedException {
        return withUnverified(service.request(requestId).orElseThrow(() -> new RefusedException(
                RefusalReason.NOT_FOUND, "no request " + requestId)));
    }

    public List<RequestView> requests() {
        return service.requests().stream().map(this::withUnverified).toList();
    }

    private RequestView withUnverified(RequestView v) {
        List<BadRelease> extra = workflow.unverifiedRefusals(v.requestId());
        if (extra.isEmpty()) {
            return v;
        }
        List<BadRelease> all = new ArrayList<>(v.badReleases());
        all.addAll(extra);
        return new RequestView(v.request(), v.canonical(), v.coordinatorSignature(), v.state(), v.history(),
                v.approvers(), v.deniers(), v.threshold(), v.releases(), all, v.shreddedNodes(),
                v.signatures());
    }

    public RequestView cancel(String operator, String requestId)
            throws RefusedException, IOException, KeyEscrowException {
        return workflow.cancel(operator, requestId);
    }

    // ---------------------------------------------------------------- sessions

    public byte[] encrypt(String operator, String requestId, byte[] plaintext, byte[] aad)
            throws RefusedException, IOException, KeyEscrowException {
        KeySession session = workflow.session(operator, requestId);
        try {
            return session.encrypt(operator, plaintext, aad, service.now());
        } finally {
            workflow.sessionUsed(session);
        }
    }

    public byte[] decrypt(String operator, String requestId, byte[] ciphertext, byte[] aad)
            throws RefusedException, IOException, KeyEscrowException {
        KeySession session = workflow.session(operator, requestId);
        try {
            return session.decrypt(operator, ciphertext, aad, service.now());
        } finally {
            workflow.sessionUsed(session);
        }
    }

    public byte[] sign(String operator, String requestId, byte[] message)
            throws RefusedException, IOException, KeyEscrowException {
        KeySession session = workflow.session(operator, requestId);
        try {
            return session.sign(operator, message, service.now());
        } finally {
            workflow.sessionUsed(session);
        }
    }

    /**
     * The EXPORT bundle, delivered once: the nodes' signed releases, wrapped to the recipient's
     * key; this coordinator never opened them and cannot.
     */
    public ExportBundle takeExport(String operator, String requestId)
            throws RefusedException, IOException, KeyEscrowException {
        return workflow.takeExport(operator, requestId);
    }

    /**
     * Deletes the cluster messages of requests that have been over for {@code grace} and that
     * no member needs any more ({@code quorum.MessageRetention}).
     *
     * @return how many map entries were deleted
     */
    public int pruneClusterMessages(Duration grace) {
        return housekeeping.pruneClusterMessages(grace);
    }

    /** {@link #pruneClusterMessages} on the background thread, for a periodic timer; failures are reported. */
    void pruneInBackground(Duration grace) {
        housekeeping.pruneInBackground(grace);
    }

    /** Expires what is due. */
    public void sweep() throws IOException, KeyEscrowException {
        workflow.sweep();
    }

    /** {@link #sweep()} on the background thread, for a periodic timer; failures are reported, not thrown. */
    void sweepInBackground() {
        housekeeping.sweepInBackground();
    }

    // ---------------------------------------------------------------- audit

    /** Answers re-published for finished requests, identical to those counted (see {@link RequestWorkflow}). */
    public long republishedAnswers() {
        return workflow.republishedAnswers();
    }

    public CoordinatorService service() {
        return service;
    }

    /** The whole journal verified for an auditor: now, or by a read shared with other callers (see {@link dev.keyescrow.coordinator.ledger.JournalAudit}). */
    public dev.keyescrow.coordinator.ledger.JournalAudit.Verified verifyJournal() throws IOException {
        return audit.verify();
    }

    /** Journal reads done for auditors since start. */
    public long auditReads() {
        return audit.reads();
    }

    /** Whether this coordinator's journal holds {@code head}: the record at its sequence has its hash. */
    public dev.keyescrow.journal.HeadCheckResult checkHead(dev.keyescrow.journal.JournalHead head) throws IOException {
        return audit.checkHead(() -> dev.keyescrow.journal.HeadCheck.check(service.journalFile(), head,
                service.writerPublicKey()));
    }

    /** Every signature verified before it was journaled, for auditors to verify again. */
    public dev.keyescrow.coordinator.ledger.AuditSignatures signatures() {
        return service.signatures();
    }

    /** Waits until every cluster message received so far was handled (tests, orderly shutdown). */
    public void drain() throws InterruptedException {
        cluster.drain();
    }

    @Override
    public void close() {
        cluster.close();
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessions.close();
        ephemeralKeys.close();
        try {
            if (sealedKeys != null) {
                sealedKeys.close();
            }
            service.close();
        } catch (IOException e) {
            // closing: nothing more to record
        }
    }
}
