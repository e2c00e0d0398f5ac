package dev.keyescrow.coordinator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Received messages of one kind waiting for the cluster worker. Each message still queues its
 * own task on the worker (so the worker's bounds count it), but the first of those tasks to run
 * takes every message of the kind waiting by then, in arrival order, and hands them over as
 * one batch; the later tasks find nothing left. A burst of releases is then checked together
 * and journaled with one fsync instead of one each.
 */
final class WaitingMessages {
    /** Most messages handed over at once (well under the journal's records per batch). */
    static final int MAX_BATCH = 64;

    private final ConcurrentLinkedQueue<byte[]> waiting = new ConcurrentLinkedQueue<>();
    private final Consumer<List<byte[]>> handler;

    WaitingMessages(Consumer<List<byte[]>> handler) {
        this.handler = handler;
    }

    /** On the event thread, before the message's task is offered to the worker. */
    void add(byte[] value) {
        waiting.add(value);
    }

    /** The worker refused the message's task (its queue is full): the message is dropped too. */
    void drop(byte[] value) {
        waiting.remove(value);
    }

    /** On the worker: hands over every message waiting now (up to {@link #MAX_BATCH}), if any. */
    void handleWaiting() {
        List<byte[]> batch = new ArrayList<>();
        byte[] next;
        while (batch.size() < MAX_BATCH && (next = waiting.poll()) != null) {
            batch.add(next);
        }
        if (!batch.isEmpty()) {
            handler.accept(batch);
        }
    }
}
