package dev.keyescrow.coordinator.enrolment;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.Ed25519;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A registered custodian: its raw 32-byte Ed25519 public key and the node that will hold
 * its shares. Registering changes no existing key's quorum: custodian keys count only
 * through the manifests they countersign.
 */
public record Custodian(String id, byte[] publicKey, String nodeId, Instant registeredAt) {
    public Custodian {
        Identifiers.require(id, "custodian id");
        Identifiers.require(nodeId, "node id");
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("publicKey must be the raw " + Ed25519.PUBLIC_KEY_LENGTH
                    + "-byte Ed25519 key, got " + publicKey.length + " bytes");
        }
        publicKey = publicKey.clone();
        Objects.requireNonNull(registeredAt, "registeredAt");
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Custodian c && c.id.equals(id) && Arrays.equals(c.publicKey, publicKey)
                && c.nodeId.equals(nodeId) && c.registeredAt.equals(registeredAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(publicKey), nodeId, registeredAt);
    }

    @Override
    public String toString() {
        return "Custodian[" + id + " on " + nodeId + "]";
    }
}
