package dev.keyescrow.core.wire;

/** Names of the Hazelcast maps that carry the messages ({@code docs/spec/cluster-messages.md}). */
public final class ClusterMaps {
    public static final String MANIFESTS = "keyescrow.manifests";
    public static final String REQUESTS = "keyescrow.requests";
    public static final String ANSWERS = "keyescrow.answers";
    public static final String IMPORTS = "keyescrow.imports";
    public static final String RECEIPTS = "keyescrow.receipts";
    public static final String RELEASES = "keyescrow.releases";
    public static final String SHREDS = "keyescrow.shreds";
    public static final String HEADS = "keyescrow.heads";
    public static final String CANCELS = "keyescrow.cancels";
    /** Coordinator-signed rollbacks of ceremonies that never committed, keyed {@code keyId/version}. */
    public static final String ROLLBACKS = "keyescrow.rollbacks";
    /** Nodes' receipts for rollbacks ({@code RollbackReceiptMessage}), keyed {@code rollbackId/nodeId}. */
    public static final String ROLLBACK_RECEIPTS = "keyescrow.rollback-receipts";

    private ClusterMaps() {
    }
    /** SIGN round one: nodes' signed nonce commitments, key requestId/attempt/index. */
    public static final String FROST_COMMITMENTS = "keyescrow.frost-commitments";
    /** SIGN: the coordinator's signed calls for a round, key requestId/attempt/(commit|sign). */
    public static final String FROST_CALLS = "keyescrow.frost-calls";
    /** SIGN round two: nodes' signed signature shares, key requestId/attempt/index. */
    public static final String FROST_SHARES = "keyescrow.frost-shares";
}
