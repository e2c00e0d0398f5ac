package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A ceremony the coordinator rolled back, as its ledger keeps it: the unsigned manifest (whose
 * holders' nodes must each shred what they imported), the shares whose import receipts it had
 * verified before the rollback (a node that receipted an import must name that share in its
 * rollback receipt), and the rollback receipts journaled so far, by node.
 */
final class RolledBackCeremony {
    final Manifest manifest;
    final Set<Integer> imported;
    final Map<String, CoordinatorEvent.RollbackReceiptVerified> receipts = new TreeMap<>();

    RolledBackCeremony(Manifest manifest, Set<Integer> imported) {
        this.manifest = manifest;
        this.imported = Set.copyOf(imported);
    }

    /** The nodes that hold a share of the manifest: each owes a receipt. */
    Set<String> holderNodes() {
        Set<String> nodes = new TreeSet<>();
        for (Holder h : manifest.holders()) {
            nodes.add(h.nodeId());
        }
        return nodes;
    }

    /** Whether some holder's node has not receipted the rollback yet. */
    boolean awaitsReceipts() {
        return !receipts.keySet().containsAll(holderNodes());
    }
}
