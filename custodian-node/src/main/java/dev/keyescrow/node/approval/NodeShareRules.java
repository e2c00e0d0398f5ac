package dev.keyescrow.node.approval;

import dev.keyescrow.server.checkpoint.StateDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shares this node holds and what became of them: imports, rotations to a new epoch KEK
 * (the old shares destroyed in the token), completed shreds, and the tombstones that keep a
 * shredded version's shares from ever being imported again.
 */
final class NodeShareRules {
    private final String nodeId;
    private final Map<String, NodeEvent.ShareHeld> heldShares = new TreeMap<>();
    private final Map<String, NodeEvent.SharesRotated> rotations = new HashMap<>();
    private final Map<String, NodeEvent.ShredCompleted> shreds = new HashMap<>();
    private long epoch = 1;
    /** Key versions ({@code keyId/version}) of which this node shredded shares: never imported again. */
    private final Set<String> tombstones = new HashSet<>();

    NodeShareRules(String nodeId) {
        this.nodeId = nodeId;
    }

    /** An import of a version not shredded here, once per share (a repeat names the same blob). */
    boolean validate(NodeEvent.ShareHeld s) throws NodeRefusedException {
        requireNotShredded(s.keyId(), s.version());
        // imports come before the manifest exists; which custodian a share serves is checked at use
        NodeEvent.ShareHeld existing = heldShares.get(s.shareKey());
        if (existing != null && !existing.blobId().equals(s.blobId())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "share " + s.shareKey() + " is held already");
        }
        return existing == null;
    }

    /** A rotation to a later epoch that destroys only shares held here. */
    boolean validate(NodeEvent.SharesRotated r) throws NodeRefusedException {
        if (r.epoch() <= epoch) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "epoch " + r.epoch() + " is not after " + epoch);
        }
        for (String share : r.destroyed()) {
            if (!heldShares.containsKey(share)) {
                throw new NodeRefusedException(NodeRefusalReason.CLOSED, "share " + share + " is not held here");
            }
        }
        return true;
    }

    boolean validate(NodeEvent.ShredCompleted c) {
        return !shreds.containsKey(c.requestId());
    }

    void apply(NodeEvent.ShareHeld s) {
        heldShares.putIfAbsent(s.shareKey(), s);
    }

    void apply(NodeEvent.SharesRotated r) {
        r.destroyed().forEach(heldShares::remove);
        r.destroyed().forEach(share -> tombstones.add(share.substring(0, share.lastIndexOf('/'))));
        r.newBlobIds().forEach((share, blobId) -> {
            NodeEvent.ShareHeld h = heldShares.get(share);
            if (h != null) {
                heldShares.put(share, new NodeEvent.ShareHeld(h.keyId(), h.version(), h.index(), h.length(),
                        blobId, h.envelopeDigest(), h.storedBlobDigest(), h.receiptSignature()));
            }
        });
        rotations.put(r.requestId(), r);
        epoch = r.epoch();
    }

    void apply(NodeEvent.ShredCompleted c) {
        shreds.putIfAbsent(c.requestId(), c);
    }

    /** Marks a key version whose shares this node destroyed (a rolled-back ceremony's). */
    void tombstone(String keyId, int version) {
        tombstones.add(LedgerKeys.version(keyId, version));
    }

    /**
     * Refuses shares of a key version this node has shredded: a recorded import message
     * re-published later must not bring a destroyed share back under the current epoch KEK.
     */
    void requireNotShredded(String keyId, int version) throws NodeRefusedException {
        if (tombstones.contains(LedgerKeys.version(keyId, version))) {
            throw new NodeRefusedException(NodeRefusalReason.SHREDDED, "shares of " + keyId + " v" + version
                    + " were shredded on node " + nodeId + "; they are never imported again");
        }
    }

    boolean holds(String keyId, int version, int index) {
        return heldShares.containsKey(LedgerKeys.share(keyId, version, index));
    }

    /** Whether this node holds any share of the key version. */
    boolean holdsAnyOf(String keyId, int version) {
        String prefix = keyId + "/" + version + "/";
        return heldShares.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    boolean rotated(String requestId) {
        return rotations.containsKey(requestId);
    }

    boolean shredded(String requestId) {
        return shreds.containsKey(requestId);
    }

    Optional<NodeEvent.SharesRotated> rotation(String requestId) {
        return Optional.ofNullable(rotations.get(requestId));
    }

    Optional<NodeEvent.ShredCompleted> shred(String requestId) {
        return Optional.ofNullable(shreds.get(requestId));
    }

    /** Shares held, as {@code keyId/version/index}, sorted. */
    List<String> heldShares() {
        return List.copyOf(heldShares.keySet());
    }

    List<NodeEvent.ShareHeld> heldShareDetails() {
        return List.copyOf(heldShares.values());
    }

    long epoch() {
        return epoch;
    }

    /** Adds held shares, rotations, shreds and tombstones to a state digest, each in a fixed order. */
    void digest(StateDigest d) {
        heldShares.values().forEach(h -> d.field("held").field(NodeEvents.encode(h)));
        new TreeMap<>(rotations).values().forEach(r -> d.field("rotation").field(NodeEvents.encode(r)));
        new TreeMap<>(shreds).values().forEach(c -> d.field("shred").field(NodeEvents.encode(c)));
        new TreeSet<>(tombstones).forEach(t -> d.field("tombstone").field(t));
    }
}
