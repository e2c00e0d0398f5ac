package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.integrity.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A key version as the ledger keeps it, from its ceremony's start (staged, receipts coming in)
 * to its end (countersigned, its NIST states, the shares shredded). Mutable, owned by
 * {@link KeyVersionRules}; {@link ShareRules} adds the receipts and shreds.
 */
final class VersionEntry {
    final Manifest manifest;
    final String canonical;
    final byte[] publicKey;
    final Map<Integer, CoordinatorEvent.ReceiptVerified> receipts = new TreeMap<>();
    final Map<String, byte[]> countersignatures = new TreeMap<>();
    final List<Transition> history = new ArrayList<>();
    final Set<Integer> shredded = new TreeSet<>();
    byte[] coordinatorSignature;
    KeyState state;

    VersionEntry(Manifest manifest, String canonical, byte[] publicKey) {
        this.manifest = manifest;
        this.canonical = canonical;
        this.publicKey = publicKey.clone();
    }

    KeyVersionView view() {
        return new KeyVersionView(manifest, canonical, coordinatorSignature, countersignatures, state, history,
                shredded, publicKey);
    }
}
