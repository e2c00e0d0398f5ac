package dev.keyescrow.core.error;

/**
 * Shares were refused before or during reconstruction. No subclass is ever thrown after a
 * secret was returned: combining either yields the right secret or throws one of these.
 */
public abstract class SharingException extends KeyEscrowException {
    protected SharingException(String message) {
        super(message);
    }
}
