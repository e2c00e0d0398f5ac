package dev.keyescrow.core.error;

/** Refused: two shares carry the same index; one of them is a copy or a forgery. */
public final class DuplicateShareIndexException extends SharingException {
    public DuplicateShareIndexException(String message) {
        super(message);
    }
}
