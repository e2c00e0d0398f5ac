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

    void record(JournalRecord record);
}
