package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.journal.HeadCheckResult;
import dev.keyescrow.journal.VerificationReport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Re-reads of the coordinator's journal for auditors ({@code GET /v1/audit/verify}), which
 * needs no token: each read checks every record's chain and signature, so unbounded calls would
 * let anyone who reaches the port keep the coordinator reading. One read runs at a time;
 * callers that arrive while it runs, or within {@link #REUSE} after it, get its result (with the
 * time it was read), so many callers cost one read.
 */
public final class JournalAudit {
    /** How long a verification answers for: short enough for an auditor, long enough to bound the cost. */
    public static final Duration REUSE = Duration.ofSeconds(10);

    /** Reads the journal: the whole verification, or a head check. */
    public interface Read<T> {
        T run() throws IOException;
    }

    /** A verification and the time it began reading. */
    public record Verified(VerificationReport report, Instant at) {
    }

    private final Read<VerificationReport> verify;
    private final Supplier<Instant> clock;
    private final LongAdder reads = new LongAdder();
    private Verified last;

    public JournalAudit(Read<VerificationReport> verify, Supplier<Instant> clock) {
        this.verify = verify;
        this.clock = clock;
    }

    /** The journal verified now, or by a read that began less than {@link #REUSE} ago. */
    public synchronized Verified verify() throws IOException {
        Instant now = clock.get();
        if (last != null && !now.isBefore(last.at()) && Duration.between(last.at(), now).compareTo(REUSE) < 0) {
            return last;
        }
        reads.increment();
        last = new Verified(verify.run(), now);
        return last;
    }

    /** A head check, one journal read at a time with the verifications (its answer depends on its head). */
    public synchronized HeadCheckResult checkHead(Read<HeadCheckResult> check) throws IOException {
        reads.increment();
        return check.run();
    }

    /** Journal reads done for auditors since start. */
    public long reads() {
        return reads.sum();
    }
}
