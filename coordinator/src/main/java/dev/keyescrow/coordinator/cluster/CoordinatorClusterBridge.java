package dev.keyescrow.coordinator.cluster;

import dev.keyescrow.core.wire.ClusterMaps;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.keyescrow.server.Unexpected;
import dev.keyescrow.server.cluster.ClusterWorker;
import dev.keyescrow.server.cluster.RateLimitedLog;
import dev.keyescrow.server.cluster.ReceivedEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The coordinator's side of the cluster: publishes imports, manifests and requests, and
 * feeds import receipts, answers, releases and shred receipts to a {@link ClusterInbox}.
 *
 * <p>Received entries are checked in serialized form first (string key, byte-array value,
 * within {@code ClusterLimits}; nothing else is deserialized), then handled on one worker
 * thread with a bounded queue, in arrival order, never on Hazelcast's event threads
 * (verification signs journal records and may wait on disk); what the full queue drops is
 * read again from the maps. On
 * start the bridge reads what the maps already hold, so a coordinator that was down catches
 * up. Publishing waits until the entry is in the map: a request is acknowledged to the
 * operator only once the cluster has it.
 */
public final class CoordinatorClusterBridge implements AutoCloseable {
    private static final long PUBLISH_TIMEOUT_SECONDS = 30;

    /** The maps whose entries belong to one request and can go once it is over. */
    private static final List<String> PRUNED_MAPS = List.of(ClusterMaps.REQUESTS, ClusterMaps.ANSWERS,
            ClusterMaps.RELEASES, ClusterMaps.SHREDS, ClusterMaps.CANCELS, ClusterMaps.FROST_COMMITMENTS,
            ClusterMaps.FROST_CALLS, ClusterMaps.FROST_SHARES);
    private final IMap<String, byte[]> manifests;
    private final IMap<String, byte[]> requests;
    private final IMap<String, byte[]> imports;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private volatile UUID membership;
    /** Entries fetched per partition round trip when catching up from the maps. */
    private static final int CATCH_UP_PAGE = 100;
    private final ClusterWorker worker;
    private final HazelcastInstance hazelcast;
    private final List<java.util.UUID> lifecycles = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Consumer<String> problems;
    private final ScheduledExecutorService catchUpTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coordinator-cluster-catch-up");
        t.setDaemon(true);
        return t;
    });

    private record Subscription(IMap<String, byte[]> map, Consumer<byte[]> handler, UUID id) {
    }

    public CoordinatorClusterBridge(HazelcastInstance hazelcast, Consumer<String> problems) {
        this.hazelcast = hazelcast;
        this.problems = RateLimitedLog.of(problems);
        this.worker = new ClusterWorker("coordinator-cluster-bridge", this.problems);
        this.manifests = hazelcast.getMap(ClusterMaps.MANIFESTS);
        this.requests = hazelcast.getMap(ClusterMaps.REQUESTS);
        this.imports = hazelcast.getMap(ClusterMaps.IMPORTS);
    }

    /** Subscribes {@code inbox} to what nodes publish, then catches up with what the maps hold. */
    public void start(ClusterInbox inbox) {
        subscribe(ClusterMaps.RECEIPTS, inbox::importReceipt);
        subscribe(ClusterMaps.ANSWERS, inbox::answer);
        subscribe(ClusterMaps.RELEASES, inbox::release, inbox::releases);
        subscribe(ClusterMaps.SHREDS, inbox::shredReceipt);
        subscribe(ClusterMaps.ROLLBACK_RECEIPTS, inbox::rollbackReceipt);
        subscribe(ClusterMaps.FROST_COMMITMENTS, inbox::frostCommitment);
        subscribe(ClusterMaps.FROST_SHARES, inbox::frostShare);
        subscribe(ClusterMaps.DKG_PACKAGES, inbox::dkgPackage);
        subscribe(ClusterMaps.DKG_RESULTS, inbox::dkgResult);
        subscribe(ClusterMaps.DKG_COMPLAINTS, inbox::dkgComplaint);
        worker.execute(this::catchUp);
        // after a partition heals and this side rejoins the other's cluster, what the other side
        // holds never arrives as events: read everything again
        lifecycles.add(hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                worker.execute(this::catchUp);
            }
        }));
        // messages dropped while the queue was full are still in the maps: read them again
        catchUpTimer.scheduleWithFixedDelay(() -> {
            if (worker.idle() && worker.takeDropped()) {
                worker.execute(this::catchUp);
            }
        }, 2, 2, TimeUnit.SECONDS);
    }

    private void catchUp() {
        for (Subscription s : subscriptions) {
            try {
                ReceivedEntry.readAll(s.map(), CATCH_UP_PAGE, outcome -> {
                    if (outcome.entry() == null) {
                        problems.accept("cluster " + s.map().getName() + " entry refused unread: " + outcome.refusal());
                    } else {
                        s.handler().accept(outcome.entry().value());
                    }
                });
            } catch (RuntimeException e) {
                // e.g. a partition migrating while a member joins: read the maps again later
                worker.wantCatchUp();
                problems.accept(Unexpected.note("cluster " + s.map().getName() + " catch-up failed", e));
            }
        }
    }

    /** How many received messages were dropped because the worker's queue was full. */
    public long droppedCount() {
        return worker.droppedCount();
    }

    private void subscribe(String name, Consumer<byte[]> handler) {
        subscribe(name, handler, null);
    }

    /**
     * With {@code batchHandler}, the messages of {@code name} that wait together on the worker
     * are handed over together ({@link WaitingMessages}); a catch-up still reads them one by one.
     */
    private void subscribe(String name, Consumer<byte[]> handler, Consumer<List<byte[]>> batchHandler) {
        IMap<String, byte[]> map = hazelcast.getMap(name);
        Consumer<byte[]> guarded = value -> {
            try {
                handler.accept(value);
            } catch (RuntimeException e) {
                problems.accept("cluster " + name + " message could not be handled: " + e.getClass().getSimpleName());
            }
        };
        WaitingMessages waiting = batchHandler == null ? null : new WaitingMessages(batch -> {
            try {
                batchHandler.accept(batch);
            } catch (RuntimeException e) {
                problems.accept("cluster " + name + " messages could not be handled: " + e.getClass().getSimpleName());
            }
        });
        UUID id = map.addEntryListener(new Listener(event -> {
            // cheap checks on the event thread, before anything is deserialized or queued
            ReceivedEntry.Outcome outcome = ReceivedEntry.of(event);
            if (outcome.entry() == null) {
                problems.accept("cluster " + name + " entry refused unread: " + outcome.refusal());
                return;
            }
            byte[] value = outcome.entry().value();
            if (waiting == null) {
                worker.offer(value.length, () -> guarded.accept(value));
            } else {
                waiting.add(value);
                if (!worker.offer(value.length, waiting::handleWaiting)) {
                    waiting.drop(value);
                }
            }
        }), true);
        subscriptions.add(new Subscription(map, guarded, id));
    }

    public void publishImport(String key, byte[] value) {
        await(imports.setAsync(key, value).toCompletableFuture(), "import " + key);
    }

    /** Withdraws the imports of a ceremony that did not commit. */
    public void withdrawImport(String key) {
        await(imports.deleteAsync(key).toCompletableFuture(), "import " + key);
    }

    /** A call for a distributed key generation (coordinator-signed): the holders' nodes start round one. */
    public void publishDkgCall(String key, byte[] value) {
        await(hazelcast.<String, byte[]>getMap(ClusterMaps.DKG_CALLS).setAsync(key, value).toCompletableFuture(),
                "dkg call " + key);
    }

    /** Deletes every message of DKG {@code ceremonyId} among {@code n} participants once it is over. */
    public void withdrawDkg(String ceremonyId, int n) {
        List<java.util.concurrent.CompletableFuture<?>> deletes = new ArrayList<>();
        deletes.add(hazelcast.<String, byte[]>getMap(ClusterMaps.DKG_CALLS).deleteAsync(ceremonyId)
                .toCompletableFuture());
        for (int i = 1; i <= n; i++) {
            for (String map : List.of(ClusterMaps.DKG_PACKAGES, ClusterMaps.DKG_RESULTS, ClusterMaps.DKG_COMPLAINTS)) {
                deletes.add(hazelcast.<String, byte[]>getMap(map).deleteAsync(ceremonyId + "/" + i)
                        .toCompletableFuture());
            }
            for (int j = 1; j <= n; j++) {
                if (i != j) {
                    deletes.add(hazelcast.<String, byte[]>getMap(ClusterMaps.DKG_SHARES)
                            .deleteAsync(ceremonyId + "/" + i + "/" + j).toCompletableFuture());
                }
            }
        }
        await(java.util.concurrent.CompletableFuture.allOf(deletes.toArray(java.util.concurrent.CompletableFuture[]::new)),
                "withdrawal of " + ceremonyId);
    }

    public void publishManifest(String key, byte[] value) {
        await(manifests.setAsync(key, value).toCompletableFuture(), "manifest " + key);
    }

    /** Tells the nodes a ceremony was rolled back (they shred the shares they imported for it). */
    public void publishRollback(String key, byte[] value) {
        await(hazelcast.<String, byte[]>getMap(ClusterMaps.ROLLBACKS).setAsync(key, value).toCompletableFuture(),
                "rollback " + key);
    }

    /** Tells the nodes a request was cancelled (they stop counting, releasing and shredding for it). */
    public void publishCancel(String key, byte[] value) {
        await(hazelcast.<String, byte[]>getMap(ClusterMaps.CANCELS).setAsync(key, value).toCompletableFuture(),
                "cancel " + key);
    }

    /** A call for a SIGN round (coordinator-signed): nodes commit for a new attempt, or sign. */
    public void publishFrostCall(String key, byte[] value) {
        await(hazelcast.<String, byte[]>getMap(ClusterMaps.FROST_CALLS).setAsync(key, value).toCompletableFuture(),
                "round call " + key);
    }

    public void publishRequest(String key, byte[] value) {
        await(requests.setAsync(key, value).toCompletableFuture(), "request " + key);
    }

    private static void await(java.util.concurrent.CompletableFuture<?> future, String what) {
        try {
            future.get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("interrupted while publishing " + what);
        } catch (ExecutionException | TimeoutException e) {
            throw new ClusterUnavailableException("the cluster did not take " + what + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * Deletes the cluster messages of finished requests (their request, answers, releases,
     * shred receipts and cancellation), so the maps hold the open work instead of the whole
     * history in every member's heap. Keys are {@code requestId} or {@code requestId/...}.
     *
     * @param finished whether a request id's messages may go; asked once per id
     * @return how many entries were deleted
     */
    public int prune(Predicate<String> finished) {
        Map<String, Boolean> decided = new HashMap<>();
        int deleted = 0;
        for (String name : PRUNED_MAPS) {
            IMap<String, byte[]> map = hazelcast.getMap(name);
            for (String key : map.keySet()) {
                int slash = key.indexOf('/');
                String requestId = slash < 0 ? key : key.substring(0, slash);
                if (decided.computeIfAbsent(requestId, finished::test)) {
                    map.delete(key);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** Waits until every message received so far has been handled (orderly shutdown, tests). */
    public void drain() throws InterruptedException {
        worker.drain();
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

    /**
     * Runs {@code action} (on the caller's executor, never on Hazelcast's event thread) each
     * time a member joins: a node back from a crash may have missed, or the cluster may have
     * lost, entries that only the coordinator can publish again.
     */
    public void onMemberJoined(Runnable action) {
        membership = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                action.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                // nothing to publish for a member that left
            }
        });
        // this side rejoining the other after a partition: the other side's members may lack all of it
        lifecycles.add(hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                action.run();
            }
        }));
    }

    @Override
    public void close() {
        try {
            lifecycles.forEach(id -> hazelcast.getLifecycleService().removeLifecycleListener(id));
            if (membership != null) {
                hazelcast.getCluster().removeMembershipListener(membership);
            }
            for (Subscription s : subscriptions) {
                s.map().removeEntryListener(s.id());
            }
        } catch (HazelcastInstanceNotActiveException e) {
            // the member stopped under the coordinator: its listeners went with it, and the
            // timer, the worker and everything the coordinator closes after this must still stop
        }
        catchUpTimer.shutdownNow();
        try {
            worker.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
