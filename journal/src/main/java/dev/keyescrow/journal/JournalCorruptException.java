package dev.keyescrow.journal;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.PartUnavailable;

/**
 * A complete record is missing, altered or signed by another key, or the checkpoint does not
 * match the journal. Contract: <strong>stop</strong> — the server must not serve from, or append
 * to, this journal; an operator investigates (compare with the heads other members witnessed).
 */
public final class JournalCorruptException extends KeyEscrowException implements PartUnavailable {
    private static final long serialVersionUID = 1L;

    private final RecordFault fault;

    public JournalCorruptException(RecordFault fault) {
        super("journal is corrupt: " + fault.describe());
        this.fault = fault;
    }

    public RecordFault fault() {
        return fault;
    }

    @Override
    public String part() {
        return "journal";
    }
}
