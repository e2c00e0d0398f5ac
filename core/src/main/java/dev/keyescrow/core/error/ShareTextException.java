package dev.keyescrow.core.error;

/** A share's text form was refused; {@link #reason()} says why. The text itself is never quoted. */
public final class ShareTextException extends KeyEscrowException {
    /** What is wrong with the text, checked in this order. */
    public enum Reason {
        /** It does not start with {@code kes}. */
        PREFIX,
        /** It starts with {@code kes} but names a version this code does not read. */
        VERSION,
        /** A field has the wrong length, or fields are missing or extra. */
        LENGTH,
        /** The checksum does not match: a character was mistyped, dropped or swapped. */
        CHECKSUM,
        /** A character outside the format's alphabet (lowercase hex and {@code -}). */
        SYNTAX,
        /** Well-formed and checksummed, but threshold, count or index are invalid. */
        PARAMETERS
    }

    private final Reason reason;

    public ShareTextException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
