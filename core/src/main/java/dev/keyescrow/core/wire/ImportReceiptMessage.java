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
 * A node's import receipt: the values of the statement its token signed
 * ({@code docs/spec/import-release.md}, import receipt) and the signature. The coordinator
 * rebuilds the statement from the values it expects (it knows the envelope it sent) plus
 * {@code storedBlobDigest}, and verifies under the node's pinned identity key.
 */
public record ImportReceiptMessage(String nodeId, String keyId, int version, int index, int length,
                                   String envelopeDigest, String storedBlobDigest, byte[] signature) {
    public static final String FORMAT = "keyescrow-import-receipt-message-v1";

    public ImportReceiptMessage {
        Identifiers.require(nodeId, "node id");
        Identifiers.require(keyId, "key id");
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public String key() {
        return keyId + "/" + version + "/" + index;
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("nodeId", nodeId);
        m.put("keyId", keyId);
        m.put("version", version);
        m.put("index", index);
        m.put("length", length);
        m.put("envelopeDigest", envelopeDigest);
        m.put("storedBlobDigest", storedBlobDigest);
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static ImportReceiptMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("import receipt", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "nodeId", "keyId", "version", "index", "length", "envelopeDigest",
                "storedBlobDigest", "signature"));
        Messages.requireFormat(f, FORMAT);
        return new ImportReceiptMessage(f.identifier("nodeId"), f.identifier("keyId"),
                (int) f.integer("version", 1, Integer.MAX_VALUE), (int) f.integer("index", 1, 255),
                (int) f.integer("length", 1, 65536), f.hex("envelopeDigest", 64), f.hex("storedBlobDigest", 64),
                f.base64("signature", 64));
    }
}
