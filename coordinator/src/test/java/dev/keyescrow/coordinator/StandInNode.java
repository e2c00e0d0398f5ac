package dev.keyescrow.coordinator;

import dev.keyescrow.core.wire.ClusterMaps;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.AnswerRefusedException;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ImportReceiptMessage;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.core.wire.RollbackMessage;
import dev.keyescrow.core.wire.RollbackReceiptMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.hsm.EpochRotation;
import dev.keyescrow.hsm.ImportedShare;
import dev.keyescrow.hsm.Release;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.SignedStatement;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.spec.Statements;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays a custodian node's role honestly, in-process, for the coordinator's tests: a real
 * token, and the node's side of every cluster message (what the lead's node must match).
 *
 * <ul>
 *   <li>consumes {@code keyescrow.imports} addressed to it, signed by the pinned coordinator
 *       (kind {@code import} over {@code ImportMessage.digest()}); imports into its token and
 *       publishes the token's receipt to {@code keyescrow.receipts} under the same key;</li>
 *   <li>consumes {@code keyescrow.manifests} (coordinator kind {@code manifest}) and pins a
 *       version once every holder's countersignature verifies;</li>
 *   <li>consumes {@code keyescrow.requests} (coordinator kind {@code request}) and
 *       {@code keyescrow.answers}, and counts answers with the core's {@link QuorumTally}
 *       against the pinned manifest; with {@code t} approvals it releases each share it holds
 *       of that version to {@code keyescrow.releases} ({@code <requestId>/<index>}) for
 *       USE/EXPORT, or shreds them for DESTROY and publishes the receipt to
 *       {@code keyescrow.shreds} ({@code <requestId>/<nodeId>}).</li>
 * </ul>
 *
 * Test knobs make it misbehave on purpose: corrupt its releases (re-signed, so only the
 * unwrap can tell) or hold them back until told.
 */
final class StandInNode implements AutoCloseable {
    enum Behaviour {
        HONEST,
        CORRUPT_RELEASES,
        HOLD_RELEASES,
        IGNORE_IMPORTS,
        /** SIGN: publishes signature shares that are not z_i (correctly signed by its identity key). */
        LIE_IN_SIGN,
        /** SIGN: commits only from the second attempt on (so a test knows who signs the first). */
        JOIN_SIGN_LATE,
        /** Down: takes no import and no rollback (a node that is away while a ceremony rolls back). */
        DOWN
    }

    final String nodeId;
    final Token token;
    private final byte[] coordinatorPublicKey;
    private final Clock clock;
    private final IMap<String, byte[]> imports;
    private final IMap<String, byte[]> receipts;
    private final IMap<String, byte[]> manifests;
    private final IMap<String, byte[]> requests;
    private final IMap<String, byte[]> answers;
    private final IMap<String, byte[]> releases;
    private final IMap<String, byte[]> shreds;
    private final IMap<String, byte[]> rollbacks;
    private final IMap<String, byte[]> rollbackReceipts;
    private final IMap<String, byte[]> frostCommitments;
    private final IMap<String, byte[]> frostCalls;
    private final IMap<String, byte[]> frostShares;
    /** SIGN nonces by requestId/attempt/index, one pair per message. */
    private final Map<String, List<dev.keyescrow.core.frost.SigningNonces>> nonces = new TreeMap<>();
    private final ExecutorService worker;
    private final List<UUID> listeners = new ArrayList<>();
    private final List<IMap<String, byte[]>> listened = new ArrayList<>();
    final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();

    // state, touched only on the worker thread
    private final Map<String, StoredShare> shares = new TreeMap<>();
    private final Map<String, Manifest> pinned = new TreeMap<>();
    private final Map<String, CanonicalRequest> knownRequests = new LinkedHashMap<>();
    private final Map<String, List<Approval>> answersByRequest = new TreeMap<>();
    private final Set<String> done = new TreeSet<>();
    private final List<ReleaseMessage> held = new ArrayList<>();
    private volatile Behaviour behaviour = Behaviour.HONEST;
    private volatile boolean takesRollbacks;

    StandInNode(String nodeId, Token token, byte[] coordinatorPublicKey, Clock clock, HazelcastInstance member) {
        this.nodeId = nodeId;
        this.token = token;
        this.coordinatorPublicKey = coordinatorPublicKey.clone();
        this.clock = clock;
        this.imports = member.getMap(ClusterMaps.IMPORTS);
        this.receipts = member.getMap(ClusterMaps.RECEIPTS);
        this.manifests = member.getMap(ClusterMaps.MANIFESTS);
        this.requests = member.getMap(ClusterMaps.REQUESTS);
        this.answers = member.getMap(ClusterMaps.ANSWERS);
        this.releases = member.getMap(ClusterMaps.RELEASES);
        this.shreds = member.getMap(ClusterMaps.SHREDS);
        this.rollbacks = member.getMap(ClusterMaps.ROLLBACKS);
        this.rollbackReceipts = member.getMap(ClusterMaps.ROLLBACK_RECEIPTS);
        this.frostCommitments = member.getMap(ClusterMaps.FROST_COMMITMENTS);
        this.frostCalls = member.getMap(ClusterMaps.FROST_CALLS);
        this.frostShares = member.getMap(ClusterMaps.FROST_SHARES);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stand-in-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        listen(imports, this::onImport);
        listen(manifests, this::onManifest);
        listen(requests, this::onRequest);
        listen(answers, this::onAnswer);
        listen(frostCalls, this::onFrostCall);
        listen(rollbacks, this::onRollback);
    }

    void behave(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    /**
     * From now on takes ceremony rollbacks as a node does (off by default: a rollback rotates the
     * token's epoch, which other tests' short ceremony timeouts need not wait for).
     */
    void takeRollbacks() {
        this.takesRollbacks = true;
    }

    /** A custodian gave {@code approval} at this node: publish it as the node would. */
    void answer(Approval approval) {
        answers.set(approval.requestId() + "/" + approval.custodianId(), new AnswerMessage(nodeId, approval).encode());
    }

    /** Publishes releases held back so far. */
    void releaseHeld() throws Exception {
        worker.submit(() -> {
            held.forEach(r -> releases.set(r.key(), r.encode()));
            held.clear();
        }).get(30, TimeUnit.SECONDS);
    }

    /** How many answers to {@code requestId} this node has seen (after handling all it received). */
    int answersSeen(String requestId) throws Exception {
        return worker.submit(() -> answersByRequest.getOrDefault(requestId, List.of()).size()).get(30,
                TimeUnit.SECONDS);
    }

    /** How many releases this node holds back. */
    int heldCount() throws Exception {
        return worker.submit(held::size).get(30, TimeUnit.SECONDS);
    }

    /** Shares this node holds now, as {@code keyId/version/index}. */
    Set<String> heldShares() throws Exception {
        return worker.submit(() -> (Set<String>) new TreeSet<>(shares.keySet())).get(30, TimeUnit.SECONDS);
    }

    private void listen(IMap<String, byte[]> map, Consumer<byte[]> handler) {
        Consumer<byte[]> guarded = value -> worker.execute(() -> {
            try {
                handler.accept(value);
            } catch (RuntimeException e) {
                refusals.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        });
        listeners.add(map.addEntryListener(new Listener(guarded), true));
        listened.add(map);
    }

    private void onImport(byte[] value) {
        try {
            ImportMessage message = ImportMessage.decode(value);
            if (!message.nodeId().equals(nodeId) || (behaviour == Behaviour.IGNORE_IMPORTS || behaviour == Behaviour.DOWN)) {
                return;
            }
            CoordinatorStatement.verify(coordinatorPublicKey, Kind.IMPORT, message.digest(),
                    message.coordinatorSignature());
            ShareRef ref = new ShareRef(message.keyId(), message.version(), message.index(), message.length());
            ImportedShare imported = token.importShare(ref, message.envelope());
            shares.put(ref.label(), imported.stored());
            ImportReceiptMessage receipt = new ImportReceiptMessage(nodeId, ref.keyId(), ref.version(), ref.index(),
                    ref.length(), hex(Statements.sha256(message.envelope())),
                    hex(Statements.sha256(imported.stored().blob().encoded())), imported.receipt().signature());
            receipts.set(receipt.key(), receipt.encode());
        } catch (KeyEscrowException e) {
            refusals.add("import: " + e.getMessage());
        }
    }

    private void onManifest(byte[] value) {
        try {
            ManifestMessage message = ManifestMessage.decode(value);
            Manifest manifest = Manifest.parse(message.canonical().getBytes(StandardCharsets.UTF_8));
            CoordinatorStatement.verify(coordinatorPublicKey, Kind.MANIFEST, manifest.digest(),
                    message.coordinatorSignature());
            if (message.countersignatures().size() != manifest.shareCount()) {
                return;
            }
            for (Holder h : manifest.holders()) {
                byte[] signature = message.countersignatures().get(h.custodianId());
                if (signature == null) {
                    return;
                }
                manifest.verifyCountersignature(h.custodianId(), signature);
            }
            pinned.put(manifest.keyId() + "/" + manifest.version(), manifest);
            new ArrayList<>(knownRequests.keySet()).forEach(this::evaluate);
        } catch (KeyEscrowException e) {
            refusals.add("manifest: " + e.getMessage());
        }
    }

    private void onRequest(byte[] value) {
        try {
            SignedRequestMessage message = SignedRequestMessage.decode(value);
            CanonicalRequest request = CanonicalRequest.parse(message.canonical().getBytes(StandardCharsets.UTF_8));
            CoordinatorStatement.verify(coordinatorPublicKey, Kind.REQUEST, request.digest(),
                    message.coordinatorSignature());
            knownRequests.putIfAbsent(request.requestId(), request);
            evaluate(request.requestId());
        } catch (KeyEscrowException e) {
            refusals.add("request: " + e.getMessage());
        }
    }

    private void onAnswer(byte[] value) {
        try {
            AnswerMessage message = AnswerMessage.decode(value);
            answersByRequest.computeIfAbsent(message.approval().requestId(), k -> new ArrayList<>())
                    .add(message.approval());
            evaluate(message.approval().requestId());
        } catch (KeyEscrowException e) {
            refusals.add("answer: " + e.getMessage());
        }
    }

    /** Counts the request's answers from scratch against the pinned manifest; acts once on t approvals. */
    private void evaluate(String requestId) {
        CanonicalRequest request = knownRequests.get(requestId);
        if (request == null || done.contains(requestId)) {
            return;
        }
        Manifest manifest = pinned.get(request.keyId() + "/" + request.version());
        if (manifest == null) {
            return;
        }
        QuorumTally tally = QuorumTally.start(request, manifest);
        for (Approval approval : answersByRequest.getOrDefault(requestId, List.of())) {
            try {
                tally = tally.with(approval, clock.instant());
            } catch (AnswerRefusedException e) {
                refusals.add("answer of " + approval.custodianId() + ": " + e.getMessage());
            }
        }
        if (tally.verdict() != QuorumTally.Verdict.APPROVED) {
            return;
        }
        done.add(requestId);
        try {
            if (request.operation().needsRelease()) {
                releaseShares(request, manifest);
            } else if (request.operation() == Operation.DESTROY) {
                shred(request, manifest);
            } else if (request.operation() == Operation.SIGN) {
                frostCommit(request, manifest, 1);
            }
        } catch (KeyEscrowException e) {
            refusals.add("acting on " + requestId + ": " + e.getMessage());
        }
    }

    private void releaseShares(CanonicalRequest request, Manifest manifest) throws KeyEscrowException {
        byte[] digest = HexFormat.of().parseHex(request.digest());
        for (Holder h : manifest.holders()) {
            StoredShare stored = shares.get(manifest.keyId() + "/" + manifest.version() + "/" + h.index());
            if (stored == null || !h.nodeId().equals(nodeId)) {
                continue;
            }
            // as the node does: EXPORT shares go to the recipient key the request names
            RequestParams.Export export = request.params() instanceof RequestParams.Export e ? e : null;
            Release release = token.release(export != null
                    ? ReleaseRequest.toRecipient(request.requestId(), digest, export.recipientPublicKey(),
                            manifest.digest(), stored)
                    : new ReleaseRequest(request.requestId(), digest, request.ephemeralPublicKey(), stored));
            byte[] wrapped = release.wrapped();
            byte[] signature = release.statement().signature();
            if (behaviour == Behaviour.CORRUPT_RELEASES) {
                wrapped[wrapped.length - 1] ^= 0x01;
                signature = token.identity().sign(export != null
                        ? Statements.exportRelease(request.requestId(), digest, nodeId, stored.ref(), manifest.digest(),
                                export.recipientPublicKey(), token.transportPublicKey(), wrapped)
                        : Statements.release(request.requestId(), digest, nodeId, stored.ref(), wrapped));
            }
            ReleaseMessage message = new ReleaseMessage(request.requestId(), request.digest(), nodeId,
                    manifest.keyId(), manifest.version(), h.index(), stored.ref().length(), wrapped, signature);
            if (behaviour == Behaviour.HOLD_RELEASES) {
                held.add(message);
            } else {
                releases.set(message.key(), message.encode());
            }
        }
    }

    /** SIGN round one, as the node does it (without the journal): one nonce pair per message and share. */
    private void frostCommit(CanonicalRequest request, Manifest manifest, int attempt) throws KeyEscrowException {
        if (attempt == 1 && behaviour == Behaviour.JOIN_SIGN_LATE) {
            return;
        }
        RequestParams.Sign params = (RequestParams.Sign) request.params();
        for (Holder h : manifest.holders()) {
            StoredShare stored = shares.get(manifest.keyId() + "/" + manifest.version() + "/" + h.index());
            if (stored == null || !h.nodeId().equals(nodeId)) {
                continue;
            }
            List<dev.keyescrow.core.frost.SigningNonces> drawn = new ArrayList<>();
            List<byte[]> commitments = new ArrayList<>();
            try (dev.keyescrow.core.frost.KeyShare share = keyShare(request, manifest, stored, h.index())) {
                for (int j = 0; j < params.count(); j++) {
                    var n = dev.keyescrow.core.frost.SigningNonces.generate(share, new java.security.SecureRandom());
                    drawn.add(n);
                    byte[] both = new byte[64];
                    System.arraycopy(n.commitment().hiding().toBytes(), 0, both, 0, 32);
                    System.arraycopy(n.commitment().binding().toBytes(), 0, both, 32, 32);
                    commitments.add(both);
                }
            }
            byte[] statement = dev.keyescrow.core.wire.FrostStatements.commitment(request.requestId(),
                    request.digest(), attempt, nodeId, h.index(), commitments);
            var message = new dev.keyescrow.core.wire.FrostCommitmentMessage(request.requestId(), request.digest(),
                    attempt, nodeId, h.index(), commitments, token.identity().sign(statement));
            nonces.put(message.key(), drawn);
            frostCommitments.set(message.key(), message.encode());
        }
    }

    private dev.keyescrow.core.frost.KeyShare keyShare(CanonicalRequest request, Manifest manifest, StoredShare stored,
            int index) throws KeyEscrowException {
        try (var opened = token.unwrapFrostShare(request.requestId(), HexFormat.of().parseHex(request.digest()),
                stored)) {
            return new dev.keyescrow.core.frost.KeyShare(dev.keyescrow.core.frost.ParticipantId.of(index),
                    dev.keyescrow.core.frost.SecretScalar.moveFrom(opened.toByteArray(
                            dev.keyescrow.core.secret.SecretAccess.plaintext())),
                    dev.keyescrow.core.frost.GroupElement.fromBytes(manifest.frost().groupPublicKey()),
                    manifest.threshold());
        }
    }

    private void onFrostCall(byte[] value) {
        try {
            var call = dev.keyescrow.core.wire.FrostCallMessage.decode(value);
            CoordinatorStatement.verify(coordinatorPublicKey, Kind.FROST_ROUND, call.bodyDigest(),
                    call.coordinatorSignature());
            CanonicalRequest request = knownRequests.get(call.requestId());
            if (request == null || !done.contains(call.requestId())) {
                return;
            }
            Manifest manifest = pinned.get(request.keyId() + "/" + request.version());
            if (!call.isRoundTwo()) {
                frostCommit(request, manifest, call.attempt());
                return;
            }
            RequestParams.Sign params = (RequestParams.Sign) request.params();
            for (var mine : call.signers()) {
                var live = nonces.remove(mine.key());
                if (!mine.nodeId().equals(nodeId) || live == null) {
                    continue;
                }
                List<byte[]> digests = new ArrayList<>();
                List<byte[]> z = new ArrayList<>();
                StoredShare stored = shares.get(manifest.keyId() + "/" + manifest.version() + "/" + mine.index());
                try (var share = keyShare(request, manifest, stored, mine.index())) {
                    for (int j = 0; j < params.count(); j++) {
                        var list = dev.keyescrow.coordinator.quorum.FrostSigningLists.listFor(call, j);
                        digests.add(dev.keyescrow.core.wire.FrostStatements.sha256(list.encode()));
                        byte[] value2 = dev.keyescrow.core.frost.FrostSigner.sign(share, live.get(j), list,
                                params.message(j)).value();
                        if (behaviour == Behaviour.LIE_IN_SIGN) {
                            value2 = new byte[32];
                            value2[0] = 7; // a valid scalar that is not z_i
                        }
                        z.add(value2);
                    }
                }
                byte[] statement = dev.keyescrow.core.wire.FrostStatements.signatureShare(call.requestId(),
                        request.digest(), call.attempt(), nodeId, mine.index(), digests, z);
                var message = new dev.keyescrow.core.wire.FrostShareMessage(call.requestId(), request.digest(),
                        call.attempt(), nodeId, mine.index(), digests, z, token.identity().sign(statement));
                frostShares.set(message.key(), message.encode());
            }
        } catch (KeyEscrowException e) {
            refusals.add("frost call: " + e.getMessage());
        }
    }

    private void shred(CanonicalRequest request, Manifest manifest) throws KeyEscrowException {
        String prefix = manifest.keyId() + "/" + manifest.version() + "/";
        List<StoredShare> survivors = new ArrayList<>();
        List<ShareRef> destroyed = new ArrayList<>();
        shares.forEach((label, stored) -> {
            if (label.startsWith(prefix)) {
                destroyed.add(stored.ref());
            } else {
                survivors.add(stored);
            }
        });
        try (EpochRotation rotation = token.beginRotation()) {
            List<StoredShare> rewrapped = rotation.rewrap(survivors);
            SignedStatement receipt = rotation.commit(destroyed);
            destroyed.forEach(ref -> shares.remove(ref.label()));
            rewrapped.forEach(s -> shares.put(s.ref().label(), s));
            ShredReceiptMessage message = new ShredReceiptMessage(request.requestId(), nodeId, rotation.toEpoch(),
                    destroyed.stream().map(ShareRef::label).toList(), receipt.signature());
            shreds.set(message.key(), message.encode());
        }
    }

    /**
     * A signed ceremony rollback, as the node takes it: refused for a version whose manifest is
     * pinned here; otherwise the version's shares are crypto-shredded by an epoch rotation and
     * its rollback receipt (naming the rollback) published under {@code <rollbackId>/<nodeId>} (a node that held nothing of the
     * version still rotates and answers, with nothing destroyed).
     */
    private void onRollback(byte[] value) {
        if (!takesRollbacks || behaviour == Behaviour.DOWN) {
            return;
        }
        try {
            RollbackMessage message = RollbackMessage.decode(value);
            CoordinatorStatement.verify(coordinatorPublicKey, Kind.ROLLBACK, message.digest(),
                    message.coordinatorSignature());
            if (pinned.containsKey(message.key()) || !done.add(message.rollbackId())) {
                return;
            }
            String prefix = message.key() + "/";
            List<StoredShare> surviving = new ArrayList<>();
            List<ShareRef> destroyed = new ArrayList<>();
            shares.forEach((label, stored) -> {
                if (label.startsWith(prefix)) {
                    destroyed.add(stored.ref());
                } else {
                    surviving.add(stored);
                }
            });
            try (EpochRotation rotation = token.beginRotation()) {
                List<StoredShare> rewrapped = surviving.isEmpty() ? List.of() : rotation.rewrap(surviving);
                rotation.commit(destroyed);
                destroyed.forEach(ref -> shares.remove(ref.label()));
                rewrapped.forEach(s -> shares.put(s.ref().label(), s));
                byte[] signature = token.identity().sign(Statements.rollbackReceipt(nodeId, message.keyId(),
                        message.version(), message.manifestDigest(), rotation.toEpoch(), destroyed));
                RollbackReceiptMessage published = new RollbackReceiptMessage(nodeId, message.keyId(),
                        message.version(), message.manifestDigest(), rotation.toEpoch(),
                        destroyed.stream().map(ShareRef::label).toList(), signature);
                rollbackReceipts.set(published.key(), published.encode());
            }
        } catch (KeyEscrowException e) {
            refusals.add("rollback: " + e.getMessage());
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static final class Listener implements EntryAddedListener<String, byte[]>,
            EntryUpdatedListener<String, byte[]> {
        private final Consumer<byte[]> sink;

        Listener(Consumer<byte[]> sink) {
            this.sink = sink;
        }

        @Override
        public void entryAdded(EntryEvent<String, byte[]> event) {
            sink.accept(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, byte[]> event) {
            sink.accept(event.getValue());
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = 0; i < listeners.size(); i++) {
            listened.get(i).removeEntryListener(listeners.get(i));
        }
        worker.shutdown();
        worker.awaitTermination(10, TimeUnit.SECONDS);
        token.close();
    }
}
