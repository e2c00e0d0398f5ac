package dev.keyescrow.server.checkpoint;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.journal.Journal;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a server's checkpoints on its {@link CheckpointSchedule} and at a clean stop: the
 * ledger's digest after the journal's head, signed by the journal. Not thread-safe: the server
 * calls it under the lock that also orders its appends, so the digest is the head's state.
 */
public final class CheckpointWriter {
    private static final Logger LOG = Logger.getLogger(CheckpointWriter.class.getName());

    private final Journal journal;
    private final String ledgerName;
    private final Supplier<byte[]> stateDigest;
    private final CheckpointSchedule schedule;
    private final long startedFrom;
    private long last;

    /**
     * For the ledger called {@code ledgerName} whose digest {@code stateDigest} gives, over
     * {@code opened} (the journal and the checkpoint the start was vouched by).
     */
    public CheckpointWriter(ReplayedJournal opened, String ledgerName, Supplier<byte[]> stateDigest,
            CheckpointSchedule schedule) {
        this.journal = opened.journal();
        this.ledgerName = Objects.requireNonNull(ledgerName, "ledgerName");
        this.stateDigest = Objects.requireNonNull(stateDigest, "stateDigest");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.startedFrom = opened.checkpointSequence();
        this.last = startedFrom;
    }

    /** The sequence of the checkpoint the server started from (0: a full replay). */
    public long startedFrom() {
        return startedFrom;
    }

    /** After the record with {@code sequence} was appended and applied: a checkpoint if one is due. */
    public void appended(long sequence) {
        if (schedule.due(sequence)) {
            write();
        }
    }

    /**
     * Writes a checkpoint of the state after the journal's head, unless the last one is there
     * already. A failure leaves the previous checkpoint (the write is atomic) and is not a
     * failure of the event just journaled, which is durable: the next start replays more.
     */
    public void write() {
        long head = journal.head().sequence();
        if (head == 0 || head == last) {
            return;
        }
        try {
            journal.checkpoint(new CheckpointState(ledgerName, stateDigest.get()).encode());
            last = head;
        } catch (IOException | KeyEscrowException e) {
            LOG.log(Level.WARNING, "checkpoint of the " + ledgerName + " ledger at record " + head
                    + " not written (the previous one stays): " + e.getClass().getSimpleName());
        }
    }
}
