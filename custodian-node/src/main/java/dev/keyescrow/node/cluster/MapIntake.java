package dev.keyescrow.node.cluster;

import com.hazelcast.map.IMap;
import dev.keyescrow.server.cluster.ClusterLimits;
import dev.keyescrow.server.cluster.ClusterWorker;
import dev.keyescrow.server.cluster.ReceivedEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How entries of the cluster maps reach their handlers: as events, checked in their serialized
 * form on Hazelcast's thread (string key, byte-array value, within {@code ClusterLimits}) and
 * then queued for the one worker; or read again from the maps (catch-up), a page or one key at
 * a time. Nothing else is ever deserialized, and one message's failure stays with it.
 */
final class MapIntake {
    /** Entries fetched per partition round trip when catching up from the maps. */
    private static final int CATCH_UP_PAGE = 100;
    private final ClusterWorker worker;
    private final Refusals refusals;
    private final List<Runnable> unsubscribe = new ArrayList<>();

    MapIntake(ClusterWorker worker, Refusals refusals) {
        this.worker = worker;
        this.refusals = refusals;
    }

    /** Hands every entry added, updated or merged into {@code map} to {@code handler}, on the worker. */
    void listen(IMap<String, byte[]> map, MessageHandler handler) {
        String name = map.getName();
        UUID id = map.addEntryListener(new MapListener(event -> {
            // cheap checks on the event thread, before anything is deserialized or queued
            ReceivedEntry.Outcome outcome = ReceivedEntry.of(event);
            if (outcome.entry() == null) {
                refusals.refuseUnread(name, outcome.refusal());
                return;
            }
            byte[] value = outcome.entry().value();
            worker.offer(value.length, () -> handleContained(name, handler, value));
        }), true);
        unsubscribe.add(() -> map.removeEntryListener(id));
    }

    /** Removes every listener {@link #listen} added. */
    void stopListening() {
        unsubscribe.forEach(Runnable::run);
        unsubscribe.clear();
    }

    /** Handles what {@code map} holds, a page at a time (on the calling thread: the worker). */
    void catchUp(IMap<String, byte[]> map, MessageHandler handler) {
        try {
            ReceivedEntry.readAll(map, CATCH_UP_PAGE, outcome -> {
                if (outcome.entry() == null) {
                    refusals.refuseUnread(map.getName(), outcome.refusal());
                } else {
                    handleContained(map.getName(), handler, outcome.entry().value());
                }
            });
        } catch (RuntimeException e) {
            // e.g. a partition migrating while a member joins: read the maps again later
            worker.wantCatchUp();
            refusals.refuse("catch-up of " + map.getName(), e);
        }
    }

    /** Handles one entry, read as an object: a rogue member may have written anything under the key. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void readOne(IMap<String, byte[]> map, String key, MessageHandler handler) {
        try {
            Object value = ((IMap) map).get(key);
            if (value instanceof byte[] bytes && bytes.length <= ClusterLimits.MAX_MESSAGE_BYTES) {
                handleContained(map.getName(), handler, bytes);
            } else if (value != null) {
                refusals.refuseUnread(map.getName(), ReceivedEntry.Refusal.NOT_BYTES);
            }
        } catch (RuntimeException e) {
            refusals.refuse(map.getName() + " " + key, e);
        }
    }

    /**
     * One message's failure stays with that message: an unexpected exception from a decoder
     * must neither end a catch-up part way (the genuine entries after it would never be read)
     * nor kill the worker thread.
     */
    private void handleContained(String map, MessageHandler handler, byte[] value) {
        try {
            handler.handle(value);
        } catch (RuntimeException e) {
            refusals.refuse(map + " message", new IllegalArgumentException(e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e));
        }
    }
}
