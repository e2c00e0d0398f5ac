package dev.keyescrow.journal;

/**
 * Receives each complete frame of an {@link AppendOnlyLog} in file order while it is opened.
 * Throwing stops the scan and the open, and leaves the file untouched.
 *
 * @param <E> the checked failure the visitor may raise (for example a corrupt record)
 */
@FunctionalInterface
public interface FrameVisitor<E extends Exception> {
    /** {@code offset} is the byte position of the frame's length prefix. */
    void frame(long offset, byte[] frame) throws E;
}
