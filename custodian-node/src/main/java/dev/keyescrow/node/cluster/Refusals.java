package dev.keyescrow.node.cluster;

import dev.keyescrow.server.cluster.RateLimitedLog;
import dev.keyescrow.server.cluster.ReceivedEntry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Received messages the node refused: counted, and logged at a bounded rate. */
final class Refusals {
    private final Consumer<String> log;
    private final AtomicLong count = new AtomicLong();

    Refusals(Consumer<String> log) {
        this.log = RateLimitedLog.of(log);
    }

    /** The bounded-rate log itself (the worker logs its own failures there too). */
    Consumer<String> log() {
        return log;
    }

    void refuse(String what, Exception e) {
        count.incrementAndGet();
        log.accept("cluster " + what + " refused: " + e.getMessage());
    }

    /** An entry refused before it was read (wrong type, too large). */
    void refuseUnread(String map, ReceivedEntry.Refusal refusal) {
        count.incrementAndGet();
        log.accept("cluster " + map + " entry refused unread: " + refusal);
    }

    long count() {
        return count.get();
    }
}
