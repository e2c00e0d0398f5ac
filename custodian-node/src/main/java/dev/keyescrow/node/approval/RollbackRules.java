package dev.keyescrow.node.approval;

import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.wire.RollbackReceiptMessage;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Ceremonies rolled back before they committed, and this node's signed receipts for them. Only
 * the pinned coordinator rolls back, and never a version whose manifest this node holds: the
 * coordinator's key alone must not shred pinned shares.
 */
final class RollbackRules {
    private final String nodeId;
    private final PinnedCoordinator coordinator;
    private final NodeKeyVersionRules keyVersions;
    private final NodeShareRules shares;
    /** Rolled-back ceremonies by {@code keyId/version}: never committed here, their shares shredded. */
    private final Map<String, NodeEvent.CeremonyRolledBack> rollbacks = new TreeMap<>();
    /** This node's signed rollback receipts, by rollback id. */
    private final Map<String, RollbackReceiptMessage> receipts = new TreeMap<>();

    RollbackRules(String nodeId, PinnedCoordinator coordinator, NodeKeyVersionRules keyVersions, NodeShareRules shares) {
        this.nodeId = nodeId;
        this.coordinator = coordinator;
        this.keyVersions = keyVersions;
        this.shares = shares;
    }

    boolean validate(NodeEvent.CeremonyRolledBack b) throws NodeRefusedException {
        coordinator.verify(Kind.ROLLBACK, b.message().digest(), b.coordinatorSignature(), "rollback");
        // a committed version is never rolled back: the coordinator's key alone must not shred pinned shares
        if (keyVersions.contains(b.keyId(), b.version())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "rollback of " + b.keyId() + " v" + b.version()
                    + " refused: its manifest is held here, so its ceremony committed");
        }
        NodeEvent.CeremonyRolledBack existing = rollbacks.get(LedgerKeys.version(b.keyId(), b.version()));
        if (existing != null && !existing.manifestDigest().equals(b.manifestDigest())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "a rollback of another ceremony of " + b.keyId()
                    + " v" + b.version() + " was journaled already");
        }
        return existing == null;
    }

    /**
     * This node's receipt for a rollback it journaled, once that rollback's shred completed: the
     * same node, ceremony, epoch and destroyed shares as the journaled rollback and shred.
     */
    boolean validate(NodeEvent.RollbackReceipted event) throws NodeRefusedException {
        RollbackReceiptMessage r = event.receipt();
        NodeEvent.CeremonyRolledBack rollback = rollbacks.get(LedgerKeys.version(r.keyId(), r.version()));
        NodeEvent.ShredCompleted shred = shares.shred(r.rollbackId()).orElse(null);
        if (!r.nodeId().equals(nodeId) || rollback == null || !rollback.manifestDigest().equals(r.manifestDigest())
                || shred == null || shred.epoch() != r.epoch() || !shred.destroyed().equals(r.destroyed())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "a rollback receipt must name a rollback journaled"
                    + " here and its completed shred");
        }
        return !receipts.containsKey(r.rollbackId());
    }

    void apply(NodeEvent.CeremonyRolledBack b) {
        rollbacks.putIfAbsent(LedgerKeys.version(b.keyId(), b.version()), b);
        shares.tombstone(b.keyId(), b.version());
    }

    void apply(NodeEvent.RollbackReceipted r) {
        RollbackReceiptMessage receipt = r.receipt();
        receipts.putIfAbsent(receipt.rollbackId(), receipt);
    }

    boolean isRolledBack(String keyId, int version) {
        return rollbacks.containsKey(LedgerKeys.version(keyId, version));
    }

    /** Every rollback journaled here, in key-version order. */
    List<NodeEvent.CeremonyRolledBack> rollbacks() {
        return List.copyOf(rollbacks.values());
    }

    Optional<RollbackReceiptMessage> receipt(String rollbackId) {
        return Optional.ofNullable(receipts.get(rollbackId));
    }

    /** Adds rollbacks and receipts to a state digest (nothing when there are none, as before rollbacks existed). */
    void digest(StateDigest d) {
        rollbacks.values().forEach(b -> d.field("rollback").field(NodeEvents.encode(b)));
        receipts.values().forEach(r -> d.field("rollback-receipt").field(r.encode()));
    }
}
