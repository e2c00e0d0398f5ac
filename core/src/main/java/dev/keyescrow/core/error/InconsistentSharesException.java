package dev.keyescrow.core.error;

/** Refused: more than threshold shares were given and they do not lie on one polynomial: at least one is corrupt. */
public final class InconsistentSharesException extends SharingException {
    public InconsistentSharesException(String message) {
        super(message);
    }
}
