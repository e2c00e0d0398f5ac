package dev.keyescrow.journal;

import java.util.Objects;

/**
 * The verdict of {@link HeadCheck}: the status, the sequence where the journal departs from
 * the witnessed history (the witnessed sequence for OK; the first missing sequence for
 * TRUNCATION; the first record that differs for FORK), and a detail for people.
 */
public record HeadCheckResult(HeadStatus status, long sequence, String detail) {
    public HeadCheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }
}
