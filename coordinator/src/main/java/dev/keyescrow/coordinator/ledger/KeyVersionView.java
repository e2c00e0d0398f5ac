package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.integrity.Manifest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of one key version: its manifest (canonical text and the coordinator's
 * signature), countersignatures so far, state and history, and which shares nodes have
 * shredded, and the public key of an asymmetric key. Public values only.
 */
public record KeyVersionView(Manifest manifest, String canonical, byte[] coordinatorSignature,
                             Map<String, byte[]> countersignatures, KeyState state, List<Transition> history,
                             Set<Integer> shredded, byte[] publicKey) {
    public KeyVersionView {
        coordinatorSignature = coordinatorSignature.clone();
        countersignatures = Collections.unmodifiableSortedMap(new TreeMap<>(countersignatures));
        history = List.copyOf(history);
        shredded = Collections.unmodifiableSortedSet(new TreeSet<>(shredded));
        publicKey = publicKey.clone();
    }

    /** The public key of an asymmetric key (SEC1 point or raw Ed25519 key); empty for AES. */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    public String keyId() {
        return manifest.keyId();
    }

    public int version() {
        return manifest.version();
    }

    @Override
    public String toString() {
        return "KeyVersionView[" + manifest.keyId() + " v" + manifest.version() + " " + state + "]";
    }
}
