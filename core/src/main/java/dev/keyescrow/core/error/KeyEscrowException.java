package dev.keyescrow.core.error;

/** Base of the checked failures of the core: an input was refused. Messages hold public values only. */
public class KeyEscrowException extends Exception {
    public KeyEscrowException(String message) {
        super(message);
    }

    public KeyEscrowException(String message, Throwable cause) {
        super(message, cause);
    }
}
