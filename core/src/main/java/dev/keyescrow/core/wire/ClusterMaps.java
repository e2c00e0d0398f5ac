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
    /** DKG: the coordinator's signed calls, key ceremonyId. */
    public static final String DKG_CALLS = "keyescrow.dkg-calls";
    /** DKG round one: nodes' signed packages, key ceremonyId/index. */
    public static final String DKG_PACKAGES = "keyescrow.dkg-packages";
    /** DKG round two: nodes' signed, encrypted shares, key ceremonyId/sender/recipient. */
    public static final String DKG_SHARES = "keyescrow.dkg-shares";
    /** DKG end: nodes' signed results, key ceremonyId/index. */
    public static final String DKG_RESULTS = "keyescrow.dkg-results";
    /** DKG: nodes' signed complaints naming a cheating participant, key ceremonyId/index. */
    public static final String DKG_COMPLAINTS = "keyescrow.dkg-complaints";
}
