package dev.keyescrow.hsm;

/**
 * A wrapped value failed its AES-KWP integrity check, or is malformed: altered bytes, a
 * wrong KEK, a KEK derived for another context. The token itself is healthy (checked
 * separately). Do not retry with the same bytes; for a stored blob, the share is lost on
 * this node and the quorum must re-issue it (REFRESH).
 */
public class CorruptBlobException extends HsmException {
    public CorruptBlobException(String message) {
        super(message);
    }

    public CorruptBlobException(String message, Throwable cause) {
        super(message, cause);
    }
}
