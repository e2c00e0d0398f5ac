package dev.keyescrow.journal;

/**
 * What is wrong with a complete record (or with the checkpoint that vouches for records).
 * Every defect means "stop": the journal was altered, truncated under a checkpoint, or
 * written by someone else. A torn last frame is not a defect (see {@link AppendOnlyLog}).
 */
public enum Defect {
    /** A frame header announces a length no frame can have. */
    IMPOSSIBLE_LENGTH,
    /** The record does not parse: unknown version, a field out of range, trailing bytes. */
    MALFORMED,
    /** The record's sequence number is not the previous one plus one (a record is missing or moved). */
    SEQUENCE_GAP,
    /** The record's previous hash is not the hash of the record before it. */
    CHAIN_BROKEN,
    /** The signature does not verify under the writer's pinned key (altered, or re-signed by another key). */
    BAD_SIGNATURE,
    /** The checkpoint file does not parse or is not signed by the writer's key. */
    CHECKPOINT_INVALID,
    /** The journal does not hold, at the checkpoint's offset, the record the checkpoint names (truncated or altered). */
    CHECKPOINT_MISMATCH
}
