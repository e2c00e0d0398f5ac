package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's shred receipt for a request (DESTROY, or the old side of REFRESH/RESHARE): the
 * values of the signed shred statement ({@code docs/spec/import-release.md}) — new epoch
 * and destroyed shares as {@code keyId/version/index} — and the signature. Issued only after
 * the old epoch KEK was destroyed.
 */
public record ShredReceiptMessage(String requestId, String nodeId, long epoch, List<String> destroyed,
                                  byte[] signature) {
    public static final String FORMAT = "keyescrow-shred-receipt-message-v1";

    public ShredReceiptMessage {
        Identifiers.require(requestId, "request id");
        Identifiers.require(nodeId, "node id");
        destroyed = List.copyOf(destroyed);
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public String key() {
        return requestId + "/" + nodeId;
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("requestId", requestId);
        m.put("nodeId", nodeId);
        m.put("epoch", epoch);
        m.put("destroyed", new ArrayList<Object>(destroyed));
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static ShredReceiptMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("shred receipt", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "requestId", "nodeId", "epoch", "destroyed", "signature"));
        Messages.requireFormat(f, FORMAT);
        List<String> destroyed = new ArrayList<>();
        for (Object o : f.array("destroyed")) {
            if (!(o instanceof String s)) {
                throw new FormatException("shred receipt: destroyed must hold keyId/version/index strings");
            }
            destroyed.add(s);
        }
        return new ShredReceiptMessage(f.identifier("requestId"), f.identifier("nodeId"),
                f.integer("epoch", 1, 0xFFFF_FFFFL), destroyed, f.base64("signature", 64));
    }
}
