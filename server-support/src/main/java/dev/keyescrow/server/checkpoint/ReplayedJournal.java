package dev.keyescrow.server.checkpoint;

import dev.keyescrow.journal.Journal;
import java.util.Objects;

/**
 * A journal opened by {@link CheckpointedReplay#open}, its records applied to the ledger, and
 * the sequence of the checkpoint the start was vouched by (0: a full replay).
 */
public record ReplayedJournal(Journal journal, long checkpointSequence) {
    public ReplayedJournal {
        Objects.requireNonNull(journal, "journal");
        if (checkpointSequence < 0) {
            throw new IllegalArgumentException("a checkpoint sequence is not negative");
        }
    }
}
