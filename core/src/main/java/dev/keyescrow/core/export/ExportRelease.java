package dev.keyescrow.core.export;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.signature.EcdsaP256;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One node's export release as relayed in a bundle: the share {@code index} of
 * {@code length} bytes wrapped to the recipient ({@code wrapped}), the node's identity and
 * transport public keys, and its signature over the export release statement. All public:
 * the keys are checked against the recipient's pins and the statement, never believed.
 */
public record ExportRelease(String nodeId, int index, int length, byte[] identityPublicKey,
                            byte[] transportPublicKey, byte[] wrapped, byte[] signature) {
    public ExportRelease {
        Identifiers.require(nodeId, "node id");
        if (index < 1 || index > 255) {
            throw new IllegalArgumentException("index must be in [1, 255]");
        }
        if (length < 1 || length > 65536) {
            throw new IllegalArgumentException("length must be in [1, 65536]");
        }
        if (identityPublicKey.length != EcdsaP256.PUBLIC_KEY_LENGTH
                || transportPublicKey.length != EcdsaP256.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("node public keys must be 65-byte uncompressed P-256 points");
        }
        if (signature.length != 64) {
            throw new IllegalArgumentException("a node signature is 64 bytes (r || s)");
        }
        if (wrapped.length < 16 || wrapped.length % 8 != 0) {
            throw new IllegalArgumentException("wrapped bytes must be a multiple of 8, at least 16");
        }
        identityPublicKey = identityPublicKey.clone();
        transportPublicKey = transportPublicKey.clone();
        wrapped = wrapped.clone();
        signature = signature.clone();
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
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    Map<String, Object> toMap() {
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", nodeId);
        m.put("index", index);
        m.put("length", length);
        m.put("identityPublicKey", b64.encodeToString(identityPublicKey));
        m.put("transportPublicKey", b64.encodeToString(transportPublicKey));
        m.put("wrapped", b64.encodeToString(wrapped));
        m.put("signature", b64.encodeToString(signature));
        return m;
    }

    static ExportRelease fromFields(JsonFields f) throws FormatException {
        f.requireExactly(Set.of("nodeId", "index", "length", "identityPublicKey", "transportPublicKey", "wrapped",
                "signature"));
        try {
            return new ExportRelease(f.identifier("nodeId"), (int) f.integer("index", 1, 255),
                    (int) f.integer("length", 1, 65536), f.base64("identityPublicKey", EcdsaP256.PUBLIC_KEY_LENGTH),
                    f.base64("transportPublicKey", EcdsaP256.PUBLIC_KEY_LENGTH), f.base64("wrapped", -1),
                    f.base64("signature", 64));
        } catch (IllegalArgumentException e) {
            throw new FormatException(e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportRelease r && r.nodeId.equals(nodeId) && r.index == index && r.length == length
                && java.util.Arrays.equals(r.identityPublicKey, identityPublicKey)
                && java.util.Arrays.equals(r.transportPublicKey, transportPublicKey)
                && java.util.Arrays.equals(r.wrapped, wrapped) && java.util.Arrays.equals(r.signature, signature);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(nodeId, index, java.util.Arrays.hashCode(wrapped));
    }

    @Override
    public String toString() {
        return "ExportRelease[" + nodeId + ", share " + index + ", " + wrapped.length + " wrapped bytes]";
    }
}
