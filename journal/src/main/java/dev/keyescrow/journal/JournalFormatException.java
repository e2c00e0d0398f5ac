package dev.keyescrow.journal;

import dev.keyescrow.core.error.KeyEscrowException;

/**
 * An encoding (record, checkpoint, witnessed head) was refused by its strict parser: unknown
 * version, a field out of range, a non-canonical signature, trailing bytes. The message names
 * the field; it quotes public values only (nothing journaled is secret in plaintext).
 */
public final class JournalFormatException extends KeyEscrowException {
    private static final long serialVersionUID = 1L;

    public JournalFormatException(String message) {
        super(message);
    }
}
