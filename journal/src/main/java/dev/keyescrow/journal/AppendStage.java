package dev.keyescrow.journal;

/** Points inside {@link AppendOnlyLog#append}, named so the crash test can kill the writer at each. */
enum AppendStage {
    BEFORE_WRITE,
    /** Half of the frame is written; the rest is not. */
    MID_WRITE,
    /** The whole frame is written to the file but not yet fsynced. */
    AFTER_WRITE,
    /** The frame is fsynced but {@code append} has not returned (not acknowledged). */
    AFTER_FSYNC
}
