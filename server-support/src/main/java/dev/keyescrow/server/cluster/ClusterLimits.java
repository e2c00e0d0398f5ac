package dev.keyescrow.server.cluster;

/**
 * What a member accepts from the cluster, before it parses anything (cluster-messages.md,
 * "Limits"). Any member can write any entry, so every bound here is about a rogue member.
 */
public final class ClusterLimits {
    /**
     * The largest message value: an import or release of a 64 KiB secret (base64, about
     * 88 KiB) or a manifest with 255 holders and their countersignatures (under 128 KiB) fit.
     */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** The longest map key, in UTF-8 bytes: {@code <requestId>/<custodianId>} and the like. */
    public static final int MAX_KEY_BYTES = 512;
    /** Received messages waiting for the bridge's worker, at most. */
    public static final int MAX_QUEUED_MESSAGES = 1024;
    /** Bytes of received messages waiting for the bridge's worker, at most. */
    public static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    /** Events a member queues for its listeners before Hazelcast drops new ones (its default is a million). */
    public static final int EVENT_QUEUE_CAPACITY = 10_000;
    /** Heap one map may use on one member for the entries it owns, in MiB, before it evicts the least recently used. */
    public static final int MAP_HEAP_MIB = 8;
    /** Manifests are kept for the life of a key, so their map gets more room. */
    public static final int MANIFEST_MAP_HEAP_MIB = 32;

    private ClusterLimits() {
    }
}
