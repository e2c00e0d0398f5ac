package dev.keyescrow.core.policy;

/** What a verified answer did to a tally. */
public enum AnswerOutcome {
    /** First answer of this custodian: counted. */
    COUNTED,
    /**
     * The same custodian gave the same answer again, or any answer after its answers conflicted:
     * nothing changed (idempotent re-delivery).
     */
    REPEATED,
    /**
     * The custodian had answered the other way: its answers now count as DENY and an alert
     * must be raised (design: a custodian whose answers conflict counts as DENY).
     */
    CONFLICT
}
