package dev.keyescrow.server.checkpoint;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.journal.Checkpoint;
import dev.keyescrow.journal.Defect;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalCorruptException;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.RecordFault;
import dev.keyescrow.journal.ReplayHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How a server starts: it opens its journal and applies each record to a fresh ledger as the
 * record streams from the file, so a start holds one record at a time, not the whole history
 * (400,000 records as a list needed far more heap than a member's 256 MB). With a checkpoint,
 * the journal also hands over the records the checkpoint covers, checked by hash chain only,
 * and at the checkpointed sequence the ledger's digest must be the checkpoint's.
 *
 * <p>Records before the checkpoint's anchor reach the ledger before the journal has compared
 * the chain with the checkpoint's signed head. That is safe because the ledger is fresh and
 * private to the start: if the open then fails, the ledger is dropped and the server stops. For
 * the same reason a record the ledger cannot apply, or a digest that differs, is remembered and
 * reported only once the journal itself opened: a broken or re-chained journal is always
 * reported as the {@link JournalCorruptException} it is, whatever its forged records did to the
 * ledger; after the first such failure nothing more is applied.
 */
public final class CheckpointedReplay implements ReplayHandler {
    private final String ledgerName;
    private final ReplayedLedger ledger;
    private Checkpoint checkpoint;
    private JournalCorruptException mismatch;
    private Exception unreadable;

    private CheckpointedReplay(String ledgerName, ReplayedLedger ledger) {
        this.ledgerName = ledgerName;
        this.ledger = ledger;
    }

    /**
     * Opens the journal in {@code journalDirectory}, written and verified with {@code identity},
     * applying every record to {@code ledger}, a fresh ledger called {@code ledgerName}
     * ({@code node}, {@code coordinator}); a checkpoint of another ledger is refused.
     *
     * @throws JournalCorruptException a record or the checkpoint is bad, or the checkpoint
     *                                 describes another state than the journal: stop
     * @throws IOException             the files cannot be read, or hold an event this version
     *                                 cannot apply
     */
    public static ReplayedJournal open(Path journalDirectory, Signer identity, Clock clock, String ledgerName,
            ReplayedLedger ledger) throws IOException, JournalCorruptException {
        Objects.requireNonNull(ledger, "ledger");
        CheckpointedReplay replay = new CheckpointedReplay(ledgerName, ledger);
        Journal journal = Journal.open(journalDirectory, identity, clock, replay);
        try {
            if (replay.mismatch != null) {
                throw replay.mismatch;
            }
            if (replay.unreadable != null) {
                throw new IOException("the journal holds a " + ledgerName + " event this version cannot apply: "
                        + replay.unreadable.getMessage(), replay.unreadable);
            }
        } catch (IOException | JournalCorruptException e) {
            journal.close();
            throw e;
        }
        return new ReplayedJournal(journal, replay.checkpoint == null ? 0 : replay.checkpoint.sequence());
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
        if (mismatch != null || unreadable != null) {
            return;
        }
        try {
            ledger.apply(record);
        } catch (FormatException | RuntimeException e) {
            unreadable = e;
            return;
        }
        if (checkpoint != null && record.sequence() == checkpoint.sequence()) {
            mismatch = verifyAt(ledger.stateDigest());
        }
    }

    /** Null when {@code rebuilt} is the checkpoint's digest of this ledger; otherwise the refusal. */
    private JournalCorruptException verifyAt(byte[] rebuilt) {
        CheckpointState expected;
        try {
            expected = CheckpointState.decode(checkpoint.state());
        } catch (IllegalArgumentException e) {
            return refused(Defect.CHECKPOINT_INVALID, e.getMessage());
        }
        if (!expected.ledger().equals(ledgerName)) {
            return refused(Defect.CHECKPOINT_INVALID, "the checkpoint is of a " + expected.ledger()
                    + " ledger, not a " + ledgerName + " ledger");
        }
        CheckpointState actual = new CheckpointState(ledgerName, rebuilt);
        if (!actual.equals(expected)) {
            return refused(Defect.CHECKPOINT_MISMATCH, "replaying the journal up to record " + checkpoint.sequence()
                    + " gives state " + actual.digestHex() + ", the checkpoint says " + expected.digestHex());
        }
        return null;
    }

    private JournalCorruptException refused(Defect defect, String detail) {
        return new JournalCorruptException(new RecordFault(checkpoint.sequence(), checkpoint.recordOffset(), defect,
                detail));
    }
}
