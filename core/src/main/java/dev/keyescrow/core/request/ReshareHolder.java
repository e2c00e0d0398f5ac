package dev.keyescrow.core.request;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.KeyFingerprint;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One holder of a RESHARE successor as the approving custodians see it: the custodian id,
 * the Ed25519 public key that will be pinned for it and the node that will hold its share.
 * Carrying the key and node in the signed request, not only the id, is what lets every node
 * check that the successor it shreds for is the one the quorum approved: ids alone would
 * leave the keys to the coordinator's registry.
 */
public record ReshareHolder(String custodianId, byte[] publicKey, String nodeId) {
    public ReshareHolder {
        Identifiers.require(custodianId, "custodianId");
        Identifiers.require(nodeId, "nodeId");
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("publicKey of " + custodianId + " must be the raw 32-byte Ed25519 key");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Whether {@code key} is this holder's public key. */
    public boolean hasKey(byte[] key) {
        return MessageDigest.isEqual(publicKey, key);
    }

    /** Lowercase hex SHA-256 of the public key, what a custodian compares out of band. */
    public String fingerprint() {
        return KeyFingerprint.of(publicKey);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("custodianId", custodianId);
        m.put("nodeId", nodeId);
        m.put("publicKey", Base64.getEncoder().encodeToString(publicKey));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReshareHolder h && h.custodianId.equals(custodianId) && h.nodeId.equals(nodeId)
                && Arrays.equals(h.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(custodianId, nodeId, Arrays.hashCode(publicKey));
    }

    @Override
    public String toString() {
        return "ReshareHolder[" + custodianId + " on " + nodeId + ", key " + fingerprint().substring(0, 16) + "]";
    }
}
