package dev.keyescrow.coordinator.ceremony;

import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.core.integrity.Manifest;

/** The outcome of a ceremony: the signed manifest's version, now PRE_ACTIVE, and its public key (empty for AES). */
public record CreatedVersion(Manifest manifest, KeyState state, byte[] publicKey) {
    public CreatedVersion {
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }
}
