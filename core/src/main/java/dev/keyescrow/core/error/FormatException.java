package dev.keyescrow.core.error;

/**
 * Bytes that cross a process boundary were refused: malformed, non-canonical, of an
 * unknown version, with unknown or missing fields, or with trailing bytes. The message
 * names the problem and the field; it never quotes a secret (none of these formats holds one).
 */
public final class FormatException extends KeyEscrowException {
    public FormatException(String message) {
        super(message);
    }
}
