package dev.keyescrow.core.wire;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.EcdsaP256;
import java.util.Arrays;
import java.util.Objects;

/**
 * One participant of a DKG call: share {@code index} is made on node {@code nodeId}, whose
 * identity key (verifies its DKG messages) and transport key (round-two shares are encrypted
 * to it) the coordinator pinned at enrolment: SEC1 uncompressed P-256 points.
 */
public record DkgHolder(int index, String nodeId, byte[] identityKey, byte[] transportKey) {
    public DkgHolder {
        DkgStatements.requireIndex(index);
        Identifiers.require(nodeId, "node id");
        if (Objects.requireNonNull(identityKey, "identityKey").length != EcdsaP256.PUBLIC_KEY_LENGTH
                || Objects.requireNonNull(transportKey, "transportKey").length != EcdsaP256.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("node keys are " + EcdsaP256.PUBLIC_KEY_LENGTH + "-byte SEC1 points");
        }
        identityKey = identityKey.clone();
        transportKey = transportKey.clone();
    }

    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    @Override
    public byte[] transportKey() {
        return transportKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DkgHolder h && h.index == index && h.nodeId.equals(nodeId)
                && Arrays.equals(h.identityKey, identityKey) && Arrays.equals(h.transportKey, transportKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, nodeId, Arrays.hashCode(identityKey), Arrays.hashCode(transportKey));
    }

    @Override
    public String toString() {
        return "DkgHolder[" + index + " on " + nodeId + "]";
    }
}
