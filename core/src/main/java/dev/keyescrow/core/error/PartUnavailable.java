package dev.keyescrow.core.error;

/**
 * Marks a failure of the system's own parts, not of the caller's input: the token, the journal or
 * the cluster could not do its work. Servers answer it with 503 naming {@link #part()}, never as a
 * refusal, so a caller knows to retry later rather than to change the request.
 */
public interface PartUnavailable {
    /** The failed part: {@code token}, {@code journal} or {@code cluster} (the problem type's prefix). */
    String part();
}
