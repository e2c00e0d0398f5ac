package dev.keyescrow.hsm;

import java.util.List;

/**
 * One crypto-shredding rotation, begun by {@link Token#beginRotation()}: a fresh epoch KEK
 * exists in the token beside the old one. The caller re-wraps every surviving share (in
 * batches of its choosing), makes the new blobs durable in its store together with a
 * marker naming the new epoch as complete, and only then calls {@link #commit}, which
 * destroys the old KEK and signs the shred receipt.
 *
 * <p>Crash safety comes from that order: until the marker is durable the old epoch is
 * complete; after it, the new one is. On restart with two epoch KEKs the caller passes the
 * complete one to {@link Token#retainOnlyEpoch}. A receipt is never signed before the old
 * KEK is destroyed; after a crash between the marker and {@code commit} the caller runs
 * the shred again (a fresh rotation) to obtain its receipt.
 *
 * <p>Closing a rotation that was not committed aborts it: the new KEK is destroyed and
 * the old epoch stays current. Not thread-safe; one rotation at a time per token.
 */
public interface EpochRotation extends AutoCloseable {
    long fromEpoch();

    long toEpoch();

    /**
     * Re-wraps a batch of surviving shares under the new epoch KEK.
     *
     * @throws CorruptBlobException  a blob failed its integrity check (the batch stops there;
     *                               the caller decides whether to drop that share)
     * @throws TokenFailureException the token failed; abort and retry later
     */
    List<StoredShare> rewrap(List<StoredShare> survivors) throws CorruptBlobException, TokenFailureException;

    /**
     * Destroys the old epoch KEK, then signs the shred receipt for {@code destroyed}. Call
     * only after the new blobs and the epoch marker are durable.
     *
     * @throws TokenFailureException the old KEK could not be destroyed or the receipt signed;
     *                               no receipt exists — retry the shred
     */
    SignedStatement commit(List<ShareRef> destroyed) throws TokenFailureException;

    /** Aborts if not committed (destroys the new KEK); idempotent. */
    @Override
    void close() throws TokenFailureException;
}
