package dev.keyescrow.core.error;

/** Refused: fewer shares than the threshold were given; the quorum is not met. */
public final class TooFewSharesException extends SharingException {
    public TooFewSharesException(String message) {
        super(message);
    }
}
