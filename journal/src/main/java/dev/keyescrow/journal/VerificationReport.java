package dev.keyescrow.journal;

import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of {@link JournalVerifier#verify}: the head of the valid prefix (sequence = number of
 * good records, and the last good record's hash), the torn bytes after the last complete
 * record (not a fault: an append in progress or interrupted), and the first bad record if any.
 */
public final class VerificationReport {
    private final JournalHead head;
    private final long tornBytes;
    private final RecordFault fault;

    VerificationReport(JournalHead head, long tornBytes, RecordFault fault) {
        this.head = Objects.requireNonNull(head, "head");
        this.tornBytes = tornBytes;
        this.fault = fault;
    }

    /** True when every complete record is valid. */
    public boolean ok() {
        return fault == null;
    }

    /** How many records verified (all of them when {@link #ok()}). */
    public long recordCount() {
        return head.sequence();
    }

    /** The last good record's sequence and hash. */
    public JournalHead head() {
        return head;
    }

    public long tornBytes() {
        return tornBytes;
    }

    public Optional<RecordFault> firstFault() {
        return Optional.ofNullable(fault);
    }

    /** One line for people: {@code OK: 1200 records, head <hex>} or the first bad record. */
    public String summary() {
        if (fault != null) {
            return "BAD: " + fault.describe() + "; " + head.sequence() + " records before it are valid";
        }
        return "OK: " + head.sequence() + " records, head " + head.hashHex()
                + (tornBytes > 0 ? " (" + tornBytes + " torn bytes after the last record)" : "");
    }

    @Override
    public String toString() {
        return "VerificationReport[" + summary() + "]";
    }
}
