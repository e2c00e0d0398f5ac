package dev.keyescrow.journal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that starts at a fixed instant and advances a fixed step on every read. */
final class ScriptedClock extends Clock {
    static final long BASE = 1767225600000L; // 2026-01-01T00:00:00Z, the spec's vector time

    private long next;
    private final long step;

    ScriptedClock(long start, long step) {
        this.next = start;
        this.step = step;
    }

    static ScriptedClock fromBase() {
        return new ScriptedClock(BASE, 1000);
    }

    /** Makes the next read return {@code millis}. */
    synchronized void set(long millis) {
        next = millis;
    }

    @Override
    public synchronized long millis() {
        long now = next;
        next += step;
        return now;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the journal reads UTC millis only");
    }
}
