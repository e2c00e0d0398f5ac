package dev.keyescrow.core.error;

/** An invariant broke: a state the code rules out was reached. Stop; do not retry. */
public final class BugException extends RuntimeException {
    public BugException(String message) {
        super(message);
    }

    public BugException(String message, Throwable cause) {
        super(message, cause);
    }
}
