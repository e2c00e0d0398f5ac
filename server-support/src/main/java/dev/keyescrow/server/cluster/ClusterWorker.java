package dev.keyescrow.server.cluster;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one thread a bridge handles received messages on, in arrival order, never on
 * Hazelcast's event threads. What the cluster delivers waits in a bounded queue
 * ({@link ClusterLimits#MAX_QUEUED_MESSAGES} messages and {@link ClusterLimits#MAX_QUEUED_BYTES}
 * bytes): beyond that a new message is dropped and counted, and the bridge catches up from
 * the maps later ({@link #takeDropped()}). The member's own work (publishing, timers) is
 * bounded by its callers and always queued.
 */
public final class ClusterWorker implements AutoCloseable {
    private final ExecutorService executor;
    private final AtomicLong queuedMessages = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean catchUpWanted = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong highWaterBytes = new AtomicLong();
    private final Consumer<String> log;

    /** @param log where drops are reported; pass a {@link RateLimitedLog} */
    public ClusterWorker(String threadName, Consumer<String> log) {
        this.log = log;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues the handling of a received message of {@code bytes} bytes, or drops it when
     * the queue is full.
     *
     * @return whether it was queued
     */
    public boolean offer(int bytes, Runnable handler) {
        long messages = queuedMessages.incrementAndGet();
        long total = queuedBytes.addAndGet(bytes);
        if (messages > ClusterLimits.MAX_QUEUED_MESSAGES || total > ClusterLimits.MAX_QUEUED_BYTES) {
            queuedMessages.decrementAndGet();
            queuedBytes.addAndGet(-bytes);
            dropped.incrementAndGet();
            catchUpWanted.set(true);
            log.accept("cluster worker queue full (" + ClusterLimits.MAX_QUEUED_MESSAGES + " messages or "
                    + ClusterLimits.MAX_QUEUED_BYTES + " bytes): a received message was dropped; "
                    + dropped.get() + " dropped since start");
            return false;
        }
        highWaterBytes.accumulateAndGet(total, Math::max);
        executor.execute(() -> {
            queuedMessages.decrementAndGet();
            queuedBytes.addAndGet(-bytes);
            handler.run();
        });
        return true;
    }

    /** Queues this member's own work. */
    public void execute(Runnable task) {
        executor.execute(task);
    }

    /** How many received messages were dropped since start. */
    public long droppedCount() {
        return dropped.get();
    }

    /** The most bytes of received messages that ever waited at once. */
    public long highWaterBytes() {
        return highWaterBytes.get();
    }

    /** Asks for a catch-up from the maps, e.g. after reading a map failed part way (a partition migrating). */
    public void wantCatchUp() {
        catchUpWanted.set(true);
    }

    /**
     * Whether messages were dropped, or a catch-up was asked for, since the last call (the
     * caller then catches up from the maps).
     */
    public boolean takeDropped() {
        return catchUpWanted.getAndSet(false);
    }

    /** Whether no received message is waiting. */
    public boolean idle() {
        return queuedMessages.get() == 0;
    }

    /** Waits until everything queued so far has run. */
    public void drain() throws InterruptedException {
        try {
            executor.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the cluster worker did not drain", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
