package dev.keyescrow.journal;

/** How a journal compares with a head that another member witnessed. */
public enum HeadStatus {
    /** The journal holds the witnessed record, and every record up to it chains. */
    OK,
    /** The journal ends before the witnessed sequence: its tail was deleted (or lost). */
    TRUNCATION,
    /**
     * The journal holds a different history up to the witnessed sequence: the record there
     * has another hash, or an earlier record was altered, removed, reordered or re-signed.
     */
    FORK
}
