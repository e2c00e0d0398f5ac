package dev.keyescrow.core.integrity;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.Ed25519;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a manifest: share {@code index} is held for custodian {@code custodianId}
 * (Ed25519 key {@code publicKey}, pinned for this key version) on node {@code nodeId}, and
 * committed to by {@code commitment}.
 */
public record Holder(int index, String custodianId, byte[] publicKey, String nodeId, ShareCommitment commitment) {
    public Holder {
        Identifiers.require(custodianId, "custodian id");
        Identifiers.require(nodeId, "node id");
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("custodian public key must be " + Ed25519.PUBLIC_KEY_LENGTH + " bytes");
        }
        if (!Ed25519.isValidPublicKey(publicKey)) {
            throw new IllegalArgumentException("custodian " + custodianId + " has an Ed25519 key that is not a"
                    + " canonical point of prime order");
        }
        publicKey = publicKey.clone();
        Objects.requireNonNull(commitment, "commitment");
        if (commitment.index() != index) {
            throw new IllegalArgumentException("holder " + index + " has the commitment of index " + commitment.index());
        }
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("custodianId", custodianId);
        m.put("publicKey", Base64.getEncoder().encodeToString(publicKey));
        m.put("nodeId", nodeId);
        m.put("commitment", commitment.hex());
        m.put("salt", Base64.getEncoder().encodeToString(commitment.salt()));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Holder h && h.index == index && h.custodianId.equals(custodianId)
                && Arrays.equals(h.publicKey, publicKey) && h.nodeId.equals(nodeId) && h.commitment.equals(commitment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, custodianId, Arrays.hashCode(publicKey), nodeId, commitment);
    }

    @Override
    public String toString() {
        return "Holder[" + index + ", " + custodianId + " on " + nodeId + "]";
    }
}
