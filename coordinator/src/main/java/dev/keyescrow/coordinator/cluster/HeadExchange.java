package dev.keyescrow.coordinator.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.journal.JournalFormatException;
import dev.keyescrow.journal.HeadFormat;
import dev.keyescrow.journal.HeadWitness;
import dev.keyescrow.journal.SignedHead;
import dev.keyescrow.server.Unexpected;
import dev.keyescrow.server.cluster.ReceivedEntry;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Journal heads between the coordinator and the nodes (design: trust model 6): the
 * coordinator publishes its own head every two seconds when it moved, and witnesses every
 * enrolled node's head under that node's pinned identity key. A head that went back or that
 * contradicts an earlier one is an alert.
 */
public final class HeadExchange implements AutoCloseable {
    private final IMap<String, byte[]> heads;
    private final NodeRegistry nodes;
    private final HeadWitness witness;
    private final Callable<Optional<SignedHead>> ownHead;
    private final Consumer<String> alerts;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coordinator-heads");
        t.setDaemon(true);
        return t;
    });
    /** A signed head is a few hundred bytes. */
    private static final int MAX_HEAD_BYTES = 4096;
    private static final int MAX_PENDING_HEADS = 1024;
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refusedHeads = new java.util.concurrent.atomic.AtomicLong();
    private UUID listener;
    private volatile long published;

    public HeadExchange(HazelcastInstance hazelcast, NodeRegistry nodes, HeadWitness witness,
                        Callable<Optional<SignedHead>> ownHead, Consumer<String> alerts) {
        this.heads = hazelcast.getMap(dev.keyescrow.core.wire.ClusterMaps.HEADS);
        this.nodes = nodes;
        this.witness = witness;
        this.ownHead = ownHead;
        this.alerts = alerts;
    }

    public void start() {
        listener = heads.addEntryListener(new Listener(), true);
        timer.execute(() -> {
            try {
                ReceivedEntry.readAll(heads, 100, outcome -> {
                    if (outcome.entry() != null && outcome.entry().value().length <= MAX_HEAD_BYTES) {
                        witness(outcome.entry().value());
                    }
                });
            } catch (RuntimeException e) {
                alerts.accept("the journal heads could not be read: " + e.getClass().getSimpleName());
            }
        });
        timer.scheduleWithFixedDelay(this::publish, 1, 2, TimeUnit.SECONDS);
    }

    /** The latest head witnessed of {@code nodeId}'s journal. */
    public Optional<SignedHead> witnessed(String nodeId) {
        return witness.latest(nodeId);
    }

    private void publish() {
        try {
            Optional<SignedHead> head = ownHead.call();
            if (head.isPresent() && head.get().sequence() != published) {
                heads.set(head.get().journalId(), head.get().encoded());
                published = head.get().sequence();
            }
        } catch (Exception e) {
            alerts.accept("the coordinator could not publish its journal head: " + e.getClass().getSimpleName());
        }
    }

    private void witness(byte[] value) {
        try {
            SignedHead head = HeadFormat.decode(value);
            Optional<EnrolledNode> node = nodes.find(head.journalId());
            if (node.isEmpty()) {
                return;
            }
            witness.witness(head, node.get().identityPublicKey()).ifPresent(a -> alerts.accept("ALERT: " + a));
        } catch (SignatureException e) {
            alerts.accept("a journal head claiming to be a node's is not signed by its pinned key");
        } catch (JournalFormatException | IOException | RuntimeException e) {
            alerts.accept(Unexpected.note("a journal head could not be witnessed", e));
        }
    }

    private final class Listener implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]> {
        @Override
        public void entryAdded(EntryEvent<String, byte[]> event) {
            received(event);
        }

        @Override
        public void entryUpdated(EntryEvent<String, byte[]> event) {
            received(event);
        }

        /** Heads are small and one per member: anything else is refused unread, and a backlog is dropped. */
        private void received(EntryEvent<String, byte[]> event) {
            ReceivedEntry.Outcome outcome = ReceivedEntry.of(event);
            if (outcome.entry() == null || outcome.entry().value().length > MAX_HEAD_BYTES) {
                refusedHeads.incrementAndGet();
                return;
            }
            byte[] value = outcome.entry().value();
            if (pending.incrementAndGet() > MAX_PENDING_HEADS) {
                pending.decrementAndGet();
                refusedHeads.incrementAndGet();
                return;
            }
            timer.execute(() -> {
                pending.decrementAndGet();
                witness(value);
            });
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            heads.removeEntryListener(listener);
        }
        timer.shutdownNow();
    }

}
