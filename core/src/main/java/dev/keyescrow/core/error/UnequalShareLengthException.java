package dev.keyescrow.core.error;

/** Refused: shares have values of different lengths, so they cannot be of one split. */
public final class UnequalShareLengthException extends SharingException {
    public UnequalShareLengthException(String message) {
        super(message);
    }
}
