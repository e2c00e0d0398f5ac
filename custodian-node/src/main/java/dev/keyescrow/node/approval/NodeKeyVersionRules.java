package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The key versions this node knows: each one's manifest, signed by the pinned coordinator,
 * and the countersignatures of its holders. A version is pinned once every holder has
 * countersigned; custodian keys come only from manifests, one key per custodian for ever
 * ({@link CustodianKeys}).
 */
final class NodeKeyVersionRules {
    private final String nodeId;
    private final PinnedCoordinator coordinator;
    private final Map<String, ManifestEntry> manifests = new HashMap<>();
    private final CustodianKeys custodianKeys = new CustodianKeys();

    private static final class ManifestEntry {
        final Manifest manifest;
        final Map<String, byte[]> countersignatures = new TreeMap<>();

        ManifestEntry(Manifest manifest) {
            this.manifest = manifest;
        }

        boolean pinned() {
            return countersignatures.size() == manifest.shareCount();
        }
    }

    NodeKeyVersionRules(String nodeId, PinnedCoordinator coordinator) {
        this.nodeId = nodeId;
        this.coordinator = coordinator;
    }

    /** A manifest signed by the coordinator, the only one of its version, of a ceremony not rolled back. */
    boolean validate(NodeEvent.ManifestAdmitted m, RollbackRules rollbacks) throws NodeRefusedException {
        Manifest manifest = parse(m.canonical());
        coordinator.verify(Kind.MANIFEST, manifest.digest(), m.coordinatorSignature(), "manifest");
        ManifestEntry existing = manifests.get(LedgerKeys.version(manifest.keyId(), manifest.version()));
        if (existing != null && !existing.manifest.digest().equals(manifest.digest())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "a different manifest for " + manifest.keyId() + " v"
                    + manifest.version() + " was admitted already");
        }
        if (existing == null && rollbacks.isRolledBack(manifest.keyId(), manifest.version())) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "the ceremony of " + manifest.keyId() + " v"
                    + manifest.version() + " was rolled back; that version is never committed");
        }
        if (existing == null) {
            custodianKeys.check(manifest);
        }
        return existing == null;
    }

    /** A countersignature by a holder of the version, valid over its manifest. */
    boolean validate(NodeEvent.Countersigned c) throws NodeRefusedException {
        ManifestEntry entry = entry(c.keyId(), c.version());
        Holder holder = holderOf(entry.manifest, c.custodianId());
        try {
            entry.manifest.verifyCountersignature(holder.custodianId(), c.signature());
        } catch (SignatureException e) {
            throw new NodeRefusedException(NodeRefusalReason.BAD_SIGNATURE, "countersignature of " + c.custodianId()
                    + ": " + e.getMessage());
        }
        return !entry.countersignatures.containsKey(c.custodianId());
    }

    void apply(NodeEvent.ManifestAdmitted m) throws NodeRefusedException {
        Manifest manifest = parse(m.canonical());
        if (manifests.putIfAbsent(LedgerKeys.version(manifest.keyId(), manifest.version()),
                new ManifestEntry(manifest)) == null) {
            custodianKeys.pin(manifest);
        }
    }

    void apply(NodeEvent.Countersigned c) throws NodeRefusedException {
        entry(c.keyId(), c.version()).countersignatures.putIfAbsent(c.custodianId(), c.signature());
    }

    /** The manifest of a key version, pinned or not yet. */
    Manifest manifest(String keyId, int version) throws NodeRefusedException {
        return entry(keyId, version).manifest;
    }

    /** The manifest of a key version, or null when none was admitted. */
    Manifest find(String keyId, int version) {
        ManifestEntry entry = manifests.get(LedgerKeys.version(keyId, version));
        return entry == null ? null : entry.manifest;
    }

    /** Whether a manifest of that version was admitted (pinned or not). */
    boolean contains(String keyId, int version) {
        return manifests.containsKey(LedgerKeys.version(keyId, version));
    }

    boolean isPinned(String keyId, int version) {
        ManifestEntry entry = manifests.get(LedgerKeys.version(keyId, version));
        return entry != null && entry.pinned();
    }

    /** Whether some pinned version's manifest passes {@code test}. */
    boolean anyPinned(Predicate<Manifest> test) {
        for (ManifestEntry candidate : manifests.values()) {
            if (candidate.pinned() && test.test(candidate.manifest)) {
                return true;
            }
        }
        return false;
    }

    /** Adds every manifest and its countersignatures to a state digest, in key-version order. */
    void digest(StateDigest d) {
        for (String key : new TreeSet<>(manifests.keySet())) {
            ManifestEntry entry = manifests.get(key);
            d.field("manifest").field(key).field(entry.manifest.digest());
            entry.countersignatures.forEach((custodian, signature) -> d.field(custodian).field(signature));
        }
    }

    static Holder holderOf(Manifest manifest, String custodianId) throws NodeRefusedException {
        for (Holder h : manifest.holders()) {
            if (h.custodianId().equals(custodianId)) {
                return h;
            }
        }
        throw new NodeRefusedException(NodeRefusalReason.UNKNOWN_CUSTODIAN, "custodian " + custodianId + " is not pinned in "
                + manifest.keyId() + " v" + manifest.version());
    }

    private ManifestEntry entry(String keyId, int version) throws NodeRefusedException {
        ManifestEntry entry = manifests.get(LedgerKeys.version(keyId, version));
        if (entry == null) {
            throw new NodeRefusedException(NodeRefusalReason.UNKNOWN_KEY_VERSION, "no manifest for " + keyId + " v" + version
                    + " on node " + nodeId);
        }
        return entry;
    }

    private static Manifest parse(String canonical) throws NodeRefusedException {
        try {
            return Manifest.parse(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new NodeRefusedException(NodeRefusalReason.MALFORMED, e.getMessage());
        }
    }
}
