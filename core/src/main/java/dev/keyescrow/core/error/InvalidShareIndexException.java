package dev.keyescrow.core.error;

/** Refused: a share index is outside [1, 255] (index 0 would be the secret itself). */
public final class InvalidShareIndexException extends SharingException {
    public InvalidShareIndexException(String message) {
        super(message);
    }
}
