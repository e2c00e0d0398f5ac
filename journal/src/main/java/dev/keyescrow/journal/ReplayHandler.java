package dev.keyescrow.journal;

/**
 * Receives, while a journal opens, the checkpoint it starts from (if any) and then each
 * record after it, in order, each already checked (sequence, signature, chain). The server
 * rebuilds its state from these. If the open then fails with {@link JournalCorruptException},
 * the state built so far must be discarded: the server stops.
 */
public interface ReplayHandler {
    /** Discards everything (tools and tests that only need the journal's head). */
    ReplayHandler IGNORE = record -> { };

    /** Called first, at most once, with the verified checkpoint the replay starts after. */
    default void checkpoint(Checkpoint checkpoint) {
    }

    /**
     * Whether the handler also wants the records the checkpoint covers (a server whose
     * checkpoint holds a digest of its state rather than the state itself). Then the journal
     * reads every record from the start, checks the prefix by its hash chain up to the
     * checkpoint's signed head hash (no per-record signature: the checkpoint's signature vouches
     * for that hash), and checks the records after it fully. Default: no, the prefix is skipped.
     */
    default boolean wantsCheckpointedPrefix() {
        return false;
    }

    void record(JournalRecord record);
}
