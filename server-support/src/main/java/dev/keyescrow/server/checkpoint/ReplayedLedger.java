package dev.keyescrow.server.checkpoint;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.journal.JournalRecord;

/**
 * What a server's ledger offers {@link CheckpointedReplay}: apply one journal record as it
 * streams from the file, and say the digest of its state (compared with a checkpoint's).
 */
public interface ReplayedLedger {
    /**
     * Applies {@code record} (records of kinds the ledger does not know are for it to skip).
     *
     * @throws FormatException the record holds an event this version cannot read
     */
    void apply(JournalRecord record) throws FormatException;

    /** The digest of the state after every record applied so far (see {@link StateDigest}). */
    byte[] stateDigest();
}
