package dev.keyescrow.server.cluster;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Passes at most {@code burst} lines per window to a log and counts the rest, so that a
 * member flooding garbage cannot turn every refusal into a disk write. The first line of
 * the next window says how many were left out.
 */
public final class RateLimitedLog implements Consumer<String> {
    private final Consumer<String> log;
    private final int burst;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private long windowStart;
    private int passed;
    private long suppressed;

    public RateLimitedLog(Consumer<String> log, int burst, long windowNanos, LongSupplier nanoTime) {
        if (burst < 1 || windowNanos < 1) {
            throw new IllegalArgumentException("burst and window must be positive");
        }
        this.log = log;
        this.burst = burst;
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /** Twenty lines per ten seconds on the system clock. */
    public static RateLimitedLog of(Consumer<String> log) {
        return new RateLimitedLog(log, 20, 10_000_000_000L, System::nanoTime);
    }

    @Override
    public void accept(String line) {
        String summary = null;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (now - windowStart >= windowNanos) {
                if (suppressed > 0) {
                    summary = suppressed + " more cluster log lines were left out in the last window";
                }
                windowStart = now;
                passed = 0;
                suppressed = 0;
            }
            if (passed >= burst) {
                suppressed++;
                line = null;
            } else {
                passed++;
            }
        }
        if (summary != null) {
            log.accept(summary);
        }
        if (line != null) {
            log.accept(line);
        }
    }
}
