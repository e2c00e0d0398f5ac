package dev.keyescrow.server.checkpoint;

import dev.keyescrow.journal.Checkpoint;
import dev.keyescrow.journal.Defect;
import dev.keyescrow.journal.JournalCorruptException;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.RecordFault;
import dev.keyescrow.journal.ReplayHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects what a server's journal replays, from genesis, with the checkpoint (if any) that
 * vouches for the prefix, so the server can apply every record and then, at the checkpointed
 * sequence, compare its ledger's digest with the checkpoint's ({@link #verifyAt}). The records
 * are applied only after the journal open succeeded, so a broken chain never reaches a ledger.
 */
public final class CheckpointedReplay implements ReplayHandler {
    private final String ledger;
    private final List<JournalRecord> records = new ArrayList<>();
    private Checkpoint checkpoint;

    /** For the ledger called {@code ledger}; a checkpoint of another ledger is refused. */
    public CheckpointedReplay(String ledger) {
        this.ledger = ledger;
    }

    @Override
    public boolean wantsCheckpointedPrefix() {
        return true;
    }

    @Override
    public void checkpoint(Checkpoint verified) {
        this.checkpoint = verified;
    }

    @Override
    public void record(JournalRecord record) {
        records.add(record);
    }

    /** Every record of the journal, in order. */
    public List<JournalRecord> records() {
        return records;
    }

    public Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    /** The sequence whose state the checkpoint describes, or 0 without one. */
    public long checkpointSequence() {
        return checkpoint == null ? 0 : checkpoint.sequence();
    }

    /**
     * Checks that {@code rebuilt}, the ledger's digest after applying every record up to the
     * checkpoint's sequence, is the checkpoint's.
     *
     * @throws JournalCorruptException the checkpoint is not of this ledger or describes another
     *                                 state than the journal it references: the server must stop
     */
    public void verifyAt(byte[] rebuilt) throws JournalCorruptException {
        CheckpointState expected;
        try {
            expected = CheckpointState.decode(checkpoint.state());
        } catch (IllegalArgumentException e) {
            throw refused(Defect.CHECKPOINT_INVALID, e.getMessage());
        }
        if (!expected.ledger().equals(ledger)) {
            throw refused(Defect.CHECKPOINT_INVALID, "the checkpoint is of a " + expected.ledger() + " ledger, not a "
                    + ledger + " ledger");
        }
        CheckpointState actual = new CheckpointState(ledger, rebuilt);
        if (!actual.equals(expected)) {
            throw refused(Defect.CHECKPOINT_MISMATCH, "replaying the journal up to record " + checkpoint.sequence()
                    + " gives state " + actual.digestHex() + ", the checkpoint says " + expected.digestHex());
        }
    }

    private JournalCorruptException refused(Defect defect, String detail) {
        return new JournalCorruptException(new RecordFault(checkpoint.sequence(), checkpoint.recordOffset(), defect,
                detail));
    }
}
