package dev.keyescrow.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.journal.HeadWitness;
import dev.keyescrow.journal.SignedHead;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.vault.NodeVault;
import dev.keyescrow.server.cluster.ClusterWorker;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>This class wires the parts and owns their lifecycle: {@link MapIntake} (listening and
 * catch-up), {@link LedgerMessages} (manifests, requests, answers, cancels, imports,
 * rollbacks), {@link FrostCalls} (SIGN rounds), {@link DkgMessages} (key generation),
 * {@link NodePublisher} (what this node publishes) and {@link JournalHeads}.
 */
public final class NodeClusterBridge implements AutoCloseable {
    private final HazelcastInstance hazelcast;
    private UUID lifecycle;
    private final NodeMaps maps;
    private final ScheduledExecutorService headTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-head-publisher");
        t.setDaemon(true);
        return t;
    });
    private final Refusals refusals;
    private final ClusterWorker worker;
    private final MapIntake intake;
    private final NodePublisher publisher;
    private final LedgerMessages ledger;
    private final FrostCalls frostCalls;
    private final DkgMessages dkg;
    private final JournalHeads heads;

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
        this.refusals = new Refusals(refusalLog);
        this.worker = new ClusterWorker("node-cluster-bridge", refusals.log());
        this.maps = new NodeMaps(hazelcast);
        this.intake = new MapIntake(worker, refusals);
        this.publisher = new NodePublisher(service, vault, maps, refusals);
        this.ledger = new LedgerMessages(service, vault, maps, publisher, refusals);
        this.frostCalls = new FrostCalls(service, vault, publisher, refusals);
        this.dkg = new DkgMessages(service, vault, maps, intake, refusals);
        this.heads = new JournalHeads(service, maps, refusals, witness, coordinatorPublicKey);
    }

    /** Subscribes, then catches up with what the maps hold. */
    public void start() {
        intake.listen(maps.manifests, ledger::onManifest);
        intake.listen(maps.requests, ledger::onRequest);
        intake.listen(maps.answers, ledger::onAnswer);
        intake.listen(maps.imports, ledger::onImport);
        intake.listen(maps.cancels, ledger::onCancel);
        intake.listen(maps.rollbacks, ledger::onRollback);
        intake.listen(maps.frostCalls, frostCalls::onCall);
        intake.listen(maps.dkgCalls, dkg::onCall);
        intake.listen(maps.dkgPackages, dkg::onPackage);
        intake.listen(maps.dkgShares, dkg::onShare);
        intake.listen(maps.dkgComplaints, dkg::onComplaint);
        if (heads.witnessing()) {
            intake.listen(maps.heads, heads::onHead);
        }
        // members witness each other's journal heads, so a truncated or rewritten journal shows
        headTimer.scheduleWithFixedDelay(() -> {
            worker.execute(heads::publish);
            // messages dropped while the queue was full are still in the maps: read them again
            if (worker.idle() && worker.takeDropped()) {
                worker.execute(this::catchUp);
            }
        }, 1, 2, TimeUnit.SECONDS);
        worker.execute(() -> {
            publisher.finishRollbacks();
            catchUp();
            publisher.republish();
        });
        // after a network partition heals, the smaller side's members rejoin the larger side's
        // cluster: what that side's maps hold never arrives as events, and what this node
        // published on its side may not have been kept. Read everything and publish again.
        lifecycle = hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                worker.execute(() -> {
                    catchUp();
                    publisher.republish();
                });
            }
        });
    }

    /** Handles what the maps hold, in the order a ceremony writes them, a page at a time. */
    private void catchUp() {
        intake.catchUp(maps.manifests, ledger::onManifest);
        // rollbacks before imports: an import of a rolled-back version is then refused, not taken and shredded
        intake.catchUp(maps.rollbacks, ledger::onRollback);
        intake.catchUp(maps.imports, ledger::onImport);
        intake.catchUp(maps.requests, ledger::onRequest);
        intake.catchUp(maps.answers, ledger::onAnswer);
        intake.catchUp(maps.cancels, ledger::onCancel);
        intake.catchUp(maps.frostCalls, frostCalls::onCall);
        // a call reads its own ceremony's packages, shares and complaints when it is taken
        intake.catchUp(maps.dkgCalls, dkg::onCall);
    }

    /** Publishes an answer given at this node (after it was journaled), then acts on what it made due. */
    public void publish(AnswerMessage answer) {
        publisher.answer(answer);
        worker.execute(publisher::actOnDueWork);
    }

    /** The latest coordinator journal head this node witnessed. */
    public Optional<SignedHead> witnessedCoordinatorHead() {
        return heads.witnessedCoordinatorHead();
    }

    /** How many received messages were refused since start. */
    public long refusedCount() {
        return refusals.count();
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

    @Override
    public void close() throws InterruptedException {
        try {
            if (lifecycle != null) {
                hazelcast.getLifecycleService().removeLifecycleListener(lifecycle);
            }
            intake.stopListening();
        } catch (com.hazelcast.core.HazelcastInstanceNotActiveException e) {
            // the member stopped under the node: its listeners went with it, and the timer and
            // the worker must still stop
        } finally {
            headTimer.shutdownNow();
            worker.close();
        }
    }
}
