package dev.keyescrow.coordinator.cluster;

/**
 * Receives what nodes publish, as raw bytes, one message at a time on the bridge's worker
 * thread. Implementations decode strictly and verify signatures before anything counts;
 * they must not throw for bad input (a rogue member can publish anything).
 */
public interface ClusterInbox {
    void importReceipt(byte[] value);

    void answer(byte[] value);

    void release(byte[] value);

    /** Releases that waited together on the worker, in arrival order; by default one by one. */
    default void releases(java.util.List<byte[]> values) {
        values.forEach(this::release);
    }

    void shredReceipt(byte[] value);

    /** A node's receipt for a ceremony rollback (a shred receipt under the rollback's id). */
    void rollbackReceipt(byte[] value);

    /** A node's SIGN round-one commitment. */
    void frostCommitment(byte[] value);

    /** A node's SIGN round-two signature shares. */
    void frostShare(byte[] value);

    /** A node's DKG round-one package. */
    void dkgPackage(byte[] value);

    /** A node's DKG result (verification share, transcript digest, share envelope). */
    void dkgResult(byte[] value);

    /** A node's DKG complaint naming a cheating participant. */
    void dkgComplaint(byte[] value);
}
