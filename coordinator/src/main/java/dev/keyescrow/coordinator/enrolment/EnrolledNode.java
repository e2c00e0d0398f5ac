package dev.keyescrow.coordinator.enrolment;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.EcdsaP256;
import java.util.Arrays;
import java.util.Objects;

/**
 * A node pinned at enrolment: its identity key (verifies its receipts and releases) and its
 * transport key (shares are wrapped to it, releases are derived with it), both 65-byte
 * uncompressed P-256 points, with their fingerprints for the out-of-band comparison.
 */
public record EnrolledNode(String id, String url, byte[] identityPublicKey, byte[] transportPublicKey,
                           String identityFingerprint, String transportFingerprint) {
    public EnrolledNode {
        Identifiers.require(id, "node id");
        Objects.requireNonNull(url, "url");
        identityPublicKey = identityPublicKey.clone();
        transportPublicKey = transportPublicKey.clone();
        if (Arrays.equals(identityPublicKey, transportPublicKey)) {
            throw new IllegalArgumentException("node " + id
                    + ": identity and transport keys must differ (key separation)");
        }
    }

    /**
     * A node from its public keys; the fingerprints are computed here.
     *
     * @throws IllegalArgumentException naming the node and the key if a key is not a valid P-256 point
     */
    public static EnrolledNode of(String id, String url, byte[] identityPublicKey, byte[] transportPublicKey) {
        Identifiers.require(id, "node id");
        return new EnrolledNode(id, url, identityPublicKey, transportPublicKey,
                fingerprint(id, "identityPublicKey", identityPublicKey),
                fingerprint(id, "transportPublicKey", transportPublicKey));
    }

    private static String fingerprint(String id, String what, byte[] key) {
        try {
            return EcdsaP256.fingerprint(key);
        } catch (SignatureException e) {
            throw new IllegalArgumentException("node " + id + ": " + what + " is invalid: " + e.getMessage());
        }
    }

    @Override
    public byte[] identityPublicKey() {
        return identityPublicKey.clone();
    }

    @Override
    public byte[] transportPublicKey() {
        return transportPublicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnrolledNode n && n.id.equals(id) && n.url.equals(url)
                && Arrays.equals(n.identityPublicKey, identityPublicKey)
                && Arrays.equals(n.transportPublicKey, transportPublicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, url, Arrays.hashCode(identityPublicKey), Arrays.hashCode(transportPublicKey));
    }

    @Override
    public String toString() {
        return "EnrolledNode[" + id + ", identity " + identityFingerprint + "]";
    }
}
