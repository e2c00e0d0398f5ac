package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A released share: AES-KWP under a KEK only the request's ephemeral private key can
 * derive, with the node's signature over the release statement
 * ({@code docs/spec/import-release.md}). The coordinator verifies the signature under the
 * node's pinned identity key, rebuilding the statement from these values.
 */
public record ReleaseMessage(String requestId, String requestDigest, String nodeId, String keyId, int version,
                             int index, int length, byte[] wrapped, byte[] signature) {
    public static final String FORMAT = "keyescrow-release-message-v1";

    public ReleaseMessage {
        Identifiers.require(requestId, "request id");
        Identifiers.require(nodeId, "node id");
        Identifiers.require(keyId, "key id");
        wrapped = wrapped.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The map key: one release per request and share. */
    public String key() {
        return requestId + "/" + index;
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("requestId", requestId);
        m.put("requestDigest", requestDigest);
        m.put("nodeId", nodeId);
        m.put("keyId", keyId);
        m.put("version", version);
        m.put("index", index);
        m.put("length", length);
        m.put("wrapped", Base64.getEncoder().encodeToString(wrapped));
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static ReleaseMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("release", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "requestId", "requestDigest", "nodeId", "keyId", "version", "index",
                "length", "wrapped", "signature"));
        Messages.requireFormat(f, FORMAT);
        return new ReleaseMessage(f.identifier("requestId"), f.hex("requestDigest", 64), f.identifier("nodeId"),
                f.identifier("keyId"), (int) f.integer("version", 1, Integer.MAX_VALUE),
                (int) f.integer("index", 1, 255), (int) f.integer("length", 1, 65536), f.base64("wrapped", -1),
                f.base64("signature", 64));
    }
}
