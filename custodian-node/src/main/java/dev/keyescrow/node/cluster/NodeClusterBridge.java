package dev.keyescrow.node.cluster;

import dev.keyescrow.core.wire.ClusterMaps;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ImportReceiptMessage;
import dev.keyescrow.core.wire.RollbackMessage;
import dev.keyescrow.core.wire.RollbackReceiptMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.approval.RefusedException;
import dev.keyescrow.journal.HeadWitness;
import dev.keyescrow.node.vault.NodeVault;
import dev.keyescrow.server.cluster.ClusterLimits;
import dev.keyescrow.server.cluster.ClusterWorker;
import dev.keyescrow.server.cluster.RateLimitedLog;
import dev.keyescrow.server.cluster.ReceivedEntry;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Feeds what the cluster carries into the node service, and publishes this node's answers.
 *
 * <p>Every received message goes through {@link NodeService#submit}, which verifies the
 * coordinator's and custodians' signatures, so a rogue member can publish garbage but never
 * make it count. Entries are checked in their serialized form first (string key, byte-array
 * value, within {@code ClusterLimits}): nothing else is ever deserialized. Work runs on one
 * worker thread with a bounded queue, in arrival order, never on Hazelcast's event threads;
 * what the full queue drops is read again from the maps. On start the bridge reads what the
 * maps already hold (a node that was down catches up) and re-publishes the answers in its
 * journal (the cluster may have lost them).
 */
public final class NodeClusterBridge implements AutoCloseable {
    /** Entries fetched per partition round trip when catching up from the maps. */
    private static final int CATCH_UP_PAGE = 100;
    private final HazelcastInstance hazelcast;
    private java.util.UUID lifecycle;
    private final NodeService service;
    private final IMap<String, byte[]> manifests;
    private final IMap<String, byte[]> requests;
    private final IMap<String, byte[]> answers;
    private final IMap<String, byte[]> imports;
    private final IMap<String, byte[]> receipts;
    private final IMap<String, byte[]> releases;
    private final IMap<String, byte[]> shreds;
    private final IMap<String, byte[]> heads;
    private final IMap<String, byte[]> cancels;
    private final IMap<String, byte[]> rollbacks;
    private final IMap<String, byte[]> rollbackReceipts;
    private final IMap<String, byte[]> frostCommitments;
    private final IMap<String, byte[]> frostCalls;
    private final IMap<String, byte[]> frostShares;
    private final IMap<String, byte[]> dkgCalls;
    private final IMap<String, byte[]> dkgPackages;
    private final IMap<String, byte[]> dkgShares;
    private final IMap<String, byte[]> dkgResults;
    private final IMap<String, byte[]> dkgComplaints;
    private final dev.keyescrow.node.vault.DkgRounds.Outbox dkgOutbox = new DkgOutbox();
    private final NodeVault vault;
    private final HeadWitness witness;
    private final byte[] coordinatorPublicKey;
    private final java.util.concurrent.ScheduledExecutorService headTimer =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "node-head-publisher");
                t.setDaemon(true);
                return t;
            });
    private volatile long publishedSequence;
    private volatile String coordinatorJournalId;
    private final ClusterWorker worker;
    private final Consumer<String> refusalLog;
    private final AtomicLong refused = new AtomicLong();
    private final UUID[] listeners = new UUID[12];

    public NodeClusterBridge(HazelcastInstance hazelcast, NodeService service, NodeVault vault,
                             Consumer<String> refusalLog) {
        this(hazelcast, service, vault, refusalLog, null, null);
    }

    /**
     * @param witness              records the coordinator's published journal heads (null: do not witness)
     * @param coordinatorPublicKey the pinned key those heads must be signed with
     */
    public NodeClusterBridge(HazelcastInstance hazelcast, NodeService service, NodeVault vault,
                             Consumer<String> refusalLog, HeadWitness witness, byte[] coordinatorPublicKey) {
        this.hazelcast = hazelcast;
        this.service = service;
        this.vault = vault;
        this.witness = witness;
        this.coordinatorPublicKey = coordinatorPublicKey == null ? null : coordinatorPublicKey.clone();
        this.refusalLog = RateLimitedLog.of(refusalLog);
        this.worker = new ClusterWorker("node-cluster-bridge", this.refusalLog);
        this.manifests = hazelcast.getMap(ClusterMaps.MANIFESTS);
        this.requests = hazelcast.getMap(ClusterMaps.REQUESTS);
        this.answers = hazelcast.getMap(ClusterMaps.ANSWERS);
        this.imports = hazelcast.getMap(ClusterMaps.IMPORTS);
        this.receipts = hazelcast.getMap(ClusterMaps.RECEIPTS);
        this.releases = hazelcast.getMap(ClusterMaps.RELEASES);
        this.shreds = hazelcast.getMap(ClusterMaps.SHREDS);
        this.heads = hazelcast.getMap(ClusterMaps.HEADS);
        this.cancels = hazelcast.getMap(ClusterMaps.CANCELS);
        this.rollbacks = hazelcast.getMap(ClusterMaps.ROLLBACKS);
        this.rollbackReceipts = hazelcast.getMap(ClusterMaps.ROLLBACK_RECEIPTS);
        this.frostCommitments = hazelcast.getMap(ClusterMaps.FROST_COMMITMENTS);
        this.frostCalls = hazelcast.getMap(ClusterMaps.FROST_CALLS);
        this.frostShares = hazelcast.getMap(ClusterMaps.FROST_SHARES);
        this.dkgCalls = hazelcast.getMap(ClusterMaps.DKG_CALLS);
        this.dkgPackages = hazelcast.getMap(ClusterMaps.DKG_PACKAGES);
        this.dkgShares = hazelcast.getMap(ClusterMaps.DKG_SHARES);
        this.dkgResults = hazelcast.getMap(ClusterMaps.DKG_RESULTS);
        this.dkgComplaints = hazelcast.getMap(ClusterMaps.DKG_COMPLAINTS);
    }

    /** Subscribes, then catches up with what the maps hold. */
    public void start() {
        listeners[0] = manifests.addEntryListener(listener(manifests.getName(), this::onManifest), true);
        listeners[1] = requests.addEntryListener(listener(requests.getName(), this::onRequest), true);
        listeners[2] = answers.addEntryListener(listener(answers.getName(), this::onAnswer), true);
        listeners[3] = imports.addEntryListener(listener(imports.getName(), this::onImport), true);
        listeners[5] = cancels.addEntryListener(listener(cancels.getName(), this::onCancel), true);
        listeners[6] = rollbacks.addEntryListener(listener(rollbacks.getName(), this::onRollback), true);
        listeners[7] = frostCalls.addEntryListener(listener(frostCalls.getName(), this::onFrostCall), true);
        listeners[8] = dkgCalls.addEntryListener(listener(dkgCalls.getName(), this::onDkgCall), true);
        listeners[9] = dkgPackages.addEntryListener(listener(dkgPackages.getName(), this::onDkgPackage), true);
        listeners[10] = dkgShares.addEntryListener(listener(dkgShares.getName(), this::onDkgShare), true);
        listeners[11] = dkgComplaints.addEntryListener(listener(dkgComplaints.getName(), this::onDkgComplaint),
                true);
        if (witness != null) {
            listeners[4] = heads.addEntryListener(listener(heads.getName(), this::onHead), true);
        }
        // members witness each other's journal heads, so a truncated or rewritten journal shows
        headTimer.scheduleWithFixedDelay(() -> {
            worker.execute(this::publishHead);
            // messages dropped while the queue was full are still in the maps: read them again
            if (worker.idle() && worker.takeDropped()) {
                worker.execute(this::catchUp);
            }
        }, 1, 2, TimeUnit.SECONDS);
        worker.execute(() -> {
            finishRollbacks();
            catchUp();
            republish();
        });
        // after a network partition heals, the smaller side's members rejoin the larger side's
        // cluster: what that side's maps hold never arrives as events, and what this node
        // published on its side may not have been kept. Read everything and publish again.
        lifecycle = hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                worker.execute(() -> {
                    catchUp();
                    republish();
                });
            }
        });
    }

    /** Handles what the maps hold, in the order a ceremony writes them, a page at a time. */
    private void catchUp() {
        catchUp(manifests, this::onManifest);
        // rollbacks before imports: an import of a rolled-back version is then refused, not taken and shredded
        catchUp(rollbacks, this::onRollback);
        catchUp(imports, this::onImport);
        catchUp(requests, this::onRequest);
        catchUp(answers, this::onAnswer);
        catchUp(cancels, this::onCancel);
        catchUp(frostCalls, this::onFrostCall);
        // a call reads its own ceremony's packages, shares and complaints when it is taken
        catchUp(dkgCalls, this::onDkgCall);
    }

    private void catchUp(IMap<String, byte[]> map, Handler handler) {
        try {
            ReceivedEntry.readAll(map, CATCH_UP_PAGE, outcome -> {
                if (outcome.entry() == null) {
                    refuseUnread(map.getName(), outcome.refusal());
                } else {
                    handleContained(map.getName(), handler, outcome.entry().value());
                }
            });
        } catch (RuntimeException e) {
            // e.g. a partition migrating while a member joins: read the maps again later
            worker.wantCatchUp();
            refuse("catch-up of " + map.getName(), e);
        }
    }

    /** Publishes an answer given at this node (after it was journaled), then acts on what it made due. */
    public void publish(AnswerMessage answer) {
        answers.set(answer.key(), answer.encode());
        worker.execute(this::actOnDueWork);
    }

    /**
     * After a restart: publishes again what this node journaled and the cluster may have
     * lost — its answers, receipts, releases and shred receipts — then acts on due work.
     */
    private void republish() {
        for (var view : service.views(null)) {
            String requestId = view.request().requestId();
            try {
                for (var answer : service.localAnswers(requestId)) {
                    AnswerMessage message = new AnswerMessage(service.nodeId(), answer);
                    answers.putIfAbsent(message.key(), message.encode());
                }
                for (var release : vault.release(requestId)) {
                    releases.set(release.key(), release.encode());
                }
                for (byte[] c : service.frostMessages(requestId, false)) {
                    publishCommitment(c);
                }
                for (byte[] m : service.frostMessages(requestId, true)) {
                    publishShare(m);
                }
                service.shred(requestId).ifPresent(c -> {
                    ShredReceiptMessage receipt = new ShredReceiptMessage(c.requestId(), service.nodeId(), c.epoch(),
                            c.destroyed(), c.signature());
                    shreds.set(receipt.key(), receipt.encode());
                });
            } catch (IOException | KeyEscrowException e) {
                refuse("republish of " + requestId, e);
            }
        }
        actOnDueWork();
    }

    /** Releases and shreds whatever this node's own count has made due. */
    private void actOnDueWork() {
        for (String requestId : service.allDueReleases().keySet()) {
            try {
                for (var release : vault.release(requestId)) {
                    releases.set(release.key(), release.encode());
                }
            } catch (IOException | KeyEscrowException e) {
                refuse("release for " + requestId, e);
            }
        }
        service.dueFrostCommitments().forEach((requestId, indices) -> {
            for (int index : indices) {
                try {
                    publishCommitment(vault.frost().commit(requestId, 1, index).encode());
                } catch (IOException | KeyEscrowException e) {
                    refuse("round one of " + requestId, e);
                }
            }
        });
        for (String requestId : service.dueShreds()) {
            try {
                ShredReceiptMessage receipt = vault.shred(requestId);
                shreds.set(receipt.key(), receipt.encode());
            } catch (IOException | KeyEscrowException e) {
                refuse("shred for " + requestId, e);
            }
        }
    }

    /** The latest coordinator journal head this node witnessed. */
    public java.util.Optional<dev.keyescrow.journal.SignedHead> witnessedCoordinatorHead() {
        if (witness == null) {
            return java.util.Optional.empty();
        }
        String journalId = coordinatorJournalId;
        return journalId == null ? java.util.Optional.empty() : witness.latest(journalId);
    }

    /** How many received messages were refused since start. */
    public long refusedCount() {
        return refused.get();
    }

    /** How many received messages were dropped because the worker's queue was full. */
    public long droppedCount() {
        return worker.droppedCount();
    }

    /** The most bytes of received messages that ever waited for the worker at once. */
    public long queuedBytesHighWater() {
        return worker.highWaterBytes();
    }

    /** Waits until every message received so far has been handled (for orderly shutdown and tests). */
    public void drain() throws InterruptedException {
        worker.drain();
    }

    private interface Handler {
        void handle(byte[] value);
    }

    private Listener listener(String map, Handler handler) {
        return new Listener(event -> {
            // cheap checks on the event thread, before anything is deserialized or queued
            ReceivedEntry.Outcome outcome = ReceivedEntry.of(event);
            if (outcome.entry() == null) {
                refuseUnread(map, outcome.refusal());
                return;
            }
            byte[] value = outcome.entry().value();
            worker.offer(value.length, () -> handleContained(map, handler, value));
        });
    }

    /**
     * One message's failure stays with that message: an unexpected exception from a decoder
     * must neither end a catch-up part way (the genuine entries after it would never be read)
     * nor kill the worker thread.
     */
    private void handleContained(String map, Handler handler, byte[] value) {
        try {
            handler.handle(value);
        } catch (RuntimeException e) {
            refuse(map + " message", new IllegalArgumentException(e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e));
        }
    }

    /** Added, updated, and merged in from the other side of a healed partition: each is a message. */
    private static final class Listener implements EntryAddedListener<String, byte[]>,
            EntryUpdatedListener<String, byte[]>, EntryMergedListener<String, byte[]> {
        private final Consumer<EntryEvent<String, byte[]>> sink;

        Listener(Consumer<EntryEvent<String, byte[]>> sink) {
            this.sink = sink;
        }

        @Override
        public void entryAdded(EntryEvent<String, byte[]> event) {
            sink.accept(event);
        }

        @Override
        public void entryUpdated(EntryEvent<String, byte[]> event) {
            sink.accept(event);
        }

        @Override
        public void entryMerged(EntryEvent<String, byte[]> event) {
            sink.accept(event);
        }
    }

    private void onManifest(byte[] value) {
        try {
            ManifestMessage message = ManifestMessage.decode(value);
            submit(new NodeEvent.ManifestAdmitted(message.canonical(), message.coordinatorSignature()));
            dev.keyescrow.core.integrity.Manifest manifest = dev.keyescrow.core.integrity.Manifest.parse(
                    message.canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (var entry : message.countersignatures().entrySet()) {
                submit(new NodeEvent.Countersigned(manifest.keyId(), manifest.version(), entry.getKey(),
                        entry.getValue()));
            }
            // a newly pinned version may be the successor an approved REFRESH or RESHARE waits for
            actOnDueWork();
        } catch (FormatException | RefusedException e) {
            refuse("manifest", e);
        }
    }

    private void publishHead() {
        try {
            var head = service.signedHead();
            if (head.isPresent() && head.get().sequence() != publishedSequence) {
                heads.set(service.nodeId(), head.get().encoded());
                publishedSequence = head.get().sequence();
            }
        } catch (KeyEscrowException | RuntimeException e) {
            refuse("publishing the journal head", e);
        }
    }

    /** A head someone published: only the pinned coordinator's counts here; other members' heads are ignored. */
    private void onHead(byte[] value) {
        try {
            var head = dev.keyescrow.journal.HeadFormat.decode(value);
            var alert = witness.witness(head, coordinatorPublicKey);
            coordinatorJournalId = head.journalId();
            alert.ifPresent(a -> refuse("ALERT", new IllegalStateException(a)));
        } catch (dev.keyescrow.core.error.SignatureException e) {
            // not the coordinator's head (another node's, or forged): nothing to witness
        } catch (dev.keyescrow.journal.JournalFormatException | IOException e) {
            refuse("head", e);
        }
    }

    private void onCancel(byte[] value) {
        try {
            dev.keyescrow.core.wire.CancelMessage message = dev.keyescrow.core.wire.CancelMessage.decode(value);
            submit(new NodeEvent.RequestCancelled(message.requestId(), message.coordinatorSignature()));
        } catch (FormatException | RefusedException e) {
            refuse("cancel", e);
        }
    }

    /**
     * A rollback the coordinator signed: the vault verifies it, refuses it for a committed
     * version, shreds the version's shares and returns the token's receipt, published here.
     */
    private void onRollback(byte[] value) {
        try {
            RollbackMessage message = RollbackMessage.decode(value);
            RollbackReceiptMessage receipt = vault.rollBack(message);
            rollbackReceipts.set(receipt.key(), receipt.encode());
        } catch (IOException | KeyEscrowException e) {
            refuse("rollback", e);
        }
    }

    /**
     * After a restart: completes the shred of any rollback journaled before a crash, and
     * publishes every rollback receipt again (the cluster may have lost them).
     */
    private void finishRollbacks() {
        try {
            for (RollbackReceiptMessage receipt : vault.finishRollbacks()) {
                rollbackReceipts.set(receipt.key(), receipt.encode());
            }
        } catch (IOException | KeyEscrowException | RuntimeException e) {
            refuse("finishing rollbacks", e);
        }
    }

    private void publishCommitment(byte[] encoded) {
        try {
            var message = dev.keyescrow.core.wire.FrostCommitmentMessage.decode(encoded);
            frostCommitments.set(message.key(), encoded);
        } catch (FormatException e) {
            refuse("commitment", e);
        }
    }

    private void publishShare(byte[] encoded) {
        try {
            var message = dev.keyescrow.core.wire.FrostShareMessage.decode(encoded);
            frostShares.set(message.key(), encoded);
        } catch (FormatException e) {
            refuse("signature share", e);
        }
    }

    /** A coordinator's call for a SIGN round: commit for a new attempt, or sign over the named commitments. */
    private void onFrostCall(byte[] value) {
        try {
            var call = dev.keyescrow.core.wire.FrostCallMessage.decode(value);
            if (!service.holdsRequest(call.requestId())) {
                return;
            }
            if (call.isRoundTwo()) {
                if (call.signers().stream().noneMatch(c -> c.nodeId().equals(service.nodeId()))) {
                    return;
                }
                for (var share : vault.frost().sign(call)) {
                    publishShare(share.encode());
                }
            } else {
                for (var commitment : vault.frost().commit(call)) {
                    publishCommitment(commitment.encode());
                }
            }
        } catch (IOException | KeyEscrowException e) {
            refuse("round call", e);
        }
    }

    /**
     * A DKG call: this node's participants start round one, then read what the ceremony's maps
     * hold already (messages that arrived before the call). A node that finds its own package
     * published already restarted mid-ceremony and stays out: the ceremony is rolled back.
     */
    private void onDkgCall(byte[] value) {
        try {
            var call = dev.keyescrow.core.wire.DkgCallMessage.decode(value);
            var dkg = vault.dkg();
            if (!dkg.isCalled(call)) {
                return;
            }
            boolean rejoin = call.holders().stream().anyMatch(h -> h.nodeId().equals(service.nodeId())
                    && dkgPackages.containsKey(call.ceremonyId() + "/" + h.index()));
            dkg.onCall(call, rejoin, dkgOutbox);
            int n = call.holders().size();
            for (int i = 1; i <= n; i++) {
                readDkg(dkgComplaints, call.ceremonyId() + "/" + i, this::onDkgComplaint);
                readDkg(dkgPackages, call.ceremonyId() + "/" + i, this::onDkgPackage);
            }
            for (var h : call.holders()) {
                if (h.nodeId().equals(service.nodeId())) {
                    for (int s = 1; s <= n; s++) {
                        if (s != h.index()) {
                            readDkg(dkgShares, call.ceremonyId() + "/" + s + "/" + h.index(), this::onDkgShare);
                        }
                    }
                }
            }
        } catch (KeyEscrowException e) {
            refuse("dkg call", e);
        }
    }

    /** One entry, as an object: a rogue member may have written anything under the key. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void readDkg(IMap<String, byte[]> map, String key, Handler handler) {
        try {
            Object value = ((IMap) map).get(key);
            if (value instanceof byte[] bytes && bytes.length <= ClusterLimits.MAX_MESSAGE_BYTES) {
                handleContained(map.getName(), handler, bytes);
            } else if (value != null) {
                refuseUnread(map.getName(), ReceivedEntry.Refusal.NOT_BYTES);
            }
        } catch (RuntimeException e) {
            refuse(map.getName() + " " + key, e);
        }
    }

    private void onDkgPackage(byte[] value) {
        try {
            vault.dkg().onPackage(dev.keyescrow.core.wire.DkgPackageMessage.decode(value), dkgOutbox);
        } catch (KeyEscrowException e) {
            refuse("dkg package", e);
        }
    }

    private void onDkgShare(byte[] value) {
        try {
            vault.dkg().onShare(dev.keyescrow.core.wire.DkgShareMessage.decode(value), dkgOutbox);
        } catch (KeyEscrowException e) {
            refuse("dkg share", e);
        }
    }

    private void onDkgComplaint(byte[] value) {
        try {
            vault.dkg().onComplaint(dev.keyescrow.core.wire.DkgComplaintMessage.decode(value));
        } catch (KeyEscrowException e) {
            refuse("dkg complaint", e);
        }
    }

    /** Publishes what this node's DKG participants produce. */
    private final class DkgOutbox implements dev.keyescrow.node.vault.DkgRounds.Outbox {
        @Override
        public void packageReady(dev.keyescrow.core.wire.DkgPackageMessage message) {
            dkgPackages.set(message.key(), message.encode());
        }

        @Override
        public void shareReady(dev.keyescrow.core.wire.DkgShareMessage message) {
            dkgShares.set(message.key(), message.encode());
        }

        @Override
        public void resultReady(dev.keyescrow.core.wire.DkgResultMessage message) {
            dkgResults.set(message.key(), message.encode());
        }

        @Override
        public void complaintReady(dev.keyescrow.core.wire.DkgComplaintMessage message) {
            dkgComplaints.set(message.key(), message.encode());
        }
    }

    private void onImport(byte[] value) {
        try {
            ImportMessage message = ImportMessage.decode(value);
            if (!message.nodeId().equals(service.nodeId())) {
                return;
            }
            ImportReceiptMessage receipt = vault.importShare(message);
            receipts.set(receipt.key(), receipt.encode());
        } catch (IOException | KeyEscrowException e) {
            refuse("import", e);
        }
    }

    private void onRequest(byte[] value) {
        try {
            SignedRequestMessage message = SignedRequestMessage.decode(value);
            NodeEvent.RequestAdmitted admitted = new NodeEvent.RequestAdmitted(message.canonical(),
                    message.coordinatorSignature());
            if (submit(admitted)) {
                catchUpAnswers(service.requestIdOf(admitted));
            }
            actOnDueWork();
        } catch (FormatException | RefusedException e) {
            refuse("request", e);
        }
    }

    /**
     * The maps deliver independently, so an answer given at another node can arrive before
     * the request it answers; it was refused then ("no request"). Reading the request's answers
     * right after admitting it closes that gap: an answer written before this read is found
     * here, and one written after it arrives as an event behind this task.
     */
    private void catchUpAnswers(String requestId) throws RefusedException {
        Set<String> keys = new HashSet<>();
        for (String custodian : service.custodiansOf(requestId)) {
            keys.add(requestId + "/" + custodian);
        }
        // one key at a time, as objects: a rogue member may have written anything under any of them
        IMap<String, Object> raw = hazelcastAnswers();
        for (String key : keys) {
            try {
                Object value = raw.get(key);
                if (value == null) {
                    continue;
                }
                if (value instanceof byte[] bytes && bytes.length <= ClusterLimits.MAX_MESSAGE_BYTES) {
                    onAnswer(bytes);
                } else {
                    refuseUnread(ClusterMaps.ANSWERS, ReceivedEntry.Refusal.NOT_BYTES);
                }
            } catch (RuntimeException e) {
                refuse("answer " + key, e);
            }
        }
    }

    private void onAnswer(byte[] value) {
        try {
            AnswerMessage message = AnswerMessage.decode(value);
            if (message.nodeId().equals(service.nodeId())) {
                return;
            }
            submit(new NodeEvent.AnswerAccepted(message.approval(), false));
            actOnDueWork();
        } catch (FormatException | RefusedException e) {
            refuse("answer", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private IMap<String, Object> hazelcastAnswers() {
        return (IMap) answers;
    }

    /** @return whether the event changed the node (false for a repeat or a failed write) */
    private boolean submit(NodeEvent event) throws RefusedException {
        try {
            return service.submit(event);
        } catch (IOException | KeyEscrowException e) {
            if (e instanceof RefusedException r) {
                throw r;
            }
            // not durable, so not accepted: the message stays in the map and is retried at the next start
            refuse("journal", e);
            return false;
        }
    }

    /** An entry refused before it was read (wrong type, too large): counted, and logged at a bounded rate. */
    private void refuseUnread(String map, ReceivedEntry.Refusal refusal) {
        refused.incrementAndGet();
        refusalLog.accept("cluster " + map + " entry refused unread: " + refusal);
    }

    private void refuse(String what, Exception e) {
        refused.incrementAndGet();
        refusalLog.accept("cluster " + what + " refused: " + e.getMessage());
    }

    @Override
    public void close() throws InterruptedException {
        if (lifecycle != null) {
            hazelcast.getLifecycleService().removeLifecycleListener(lifecycle);
        }
        if (listeners[0] != null) {
            manifests.removeEntryListener(listeners[0]);
            requests.removeEntryListener(listeners[1]);
            answers.removeEntryListener(listeners[2]);
            imports.removeEntryListener(listeners[3]);
            cancels.removeEntryListener(listeners[5]);
            rollbacks.removeEntryListener(listeners[6]);
            frostCalls.removeEntryListener(listeners[7]);
            dkgCalls.removeEntryListener(listeners[8]);
            dkgPackages.removeEntryListener(listeners[9]);
            dkgShares.removeEntryListener(listeners[10]);
            dkgComplaints.removeEntryListener(listeners[11]);
            if (listeners[4] != null) {
                heads.removeEntryListener(listeners[4]);
            }
        }
        headTimer.shutdownNow();
        worker.close();
    }
}
