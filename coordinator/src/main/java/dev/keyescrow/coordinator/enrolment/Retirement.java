package dev.keyescrow.coordinator.enrolment;

import dev.keyescrow.core.format.Identifiers;
import java.time.Instant;
import java.util.Objects;

/**
 * A custodian id taken out of service for good: a registration cannot be removed (the journal
 * is append-only, and nodes pin an id to its key for ever), so a mistaken or departed
 * custodian is retired instead. A retired id holds no share of any live key version, never
 * becomes a holder again and its answers are not counted; its key stays reserved to it.
 * {@code operator} and {@code reason} are what the journal record keeps for the auditor.
 */
public record Retirement(String custodianId, String operator, String reason, Instant at) {
    /** The longest reason kept; it is read in audits, not parsed. */
    public static final int MAX_REASON_LENGTH = 200;

    public Retirement {
        Identifiers.require(custodianId, "custodian id");
        Identifiers.require(operator, "operator");
        requireReason(reason);
        Objects.requireNonNull(at, "at");
    }

    /** A reason is one line of 1 to {@value #MAX_REASON_LENGTH} printable characters. */
    public static String requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON_LENGTH
                || reason.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("reason must be one line of 1 to " + MAX_REASON_LENGTH
                    + " printable characters");
        }
        return reason;
    }
}
