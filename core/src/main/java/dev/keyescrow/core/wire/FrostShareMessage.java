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
 * A node's round two of a SIGN request: for share {@code index} in attempt {@code attempt},
 * one signature share z_i per message, each with the SHA-256 of the commitment list it was
 * computed over. Signed by the node's identity key over {@link FrostStatements#signatureShare}.
 * A signature share is public: without the nonces it reveals nothing of the share.
 */
public record FrostShareMessage(String requestId, String requestDigest, int attempt, String nodeId, int index,
                                List<byte[]> listDigests, List<byte[]> shares, byte[] signature) {
    public static final String FORMAT = "keyescrow-frost-share-v1";

    public FrostShareMessage {
        Identifiers.require(requestId, "request id");
        Identifiers.require(nodeId, "node id");
        FrostStatements.requireDigest(requestDigest);
        FrostStatements.requireAttempt(attempt);
        FrostStatements.requireIndex(index);
        listDigests = FrostStatements.copy(listDigests, 32, "listDigests");
        shares = FrostStatements.copy(shares, FrostStatements.SHARE_LENGTH, "shares");
        if (listDigests.size() != shares.size()) {
            throw new IllegalArgumentException("one commitment list digest per share");
        }
        signature = signature.clone();
    }

    @Override
    public List<byte[]> listDigests() {
        return listDigests.stream().map(byte[]::clone).toList();
    }

    @Override
    public List<byte[]> shares() {
        return shares.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public byte[] statement() {
        return FrostStatements.signatureShare(requestId, requestDigest, attempt, nodeId, index, listDigests, shares);
    }

    /** The map key: one share message per request, attempt and share. */
    public String key() {
        return requestId + "/" + attempt + "/" + index;
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("requestId", requestId);
        m.put("requestDigest", requestDigest);
        m.put("attempt", attempt);
        m.put("nodeId", nodeId);
        m.put("index", index);
        m.put("listDigests", b64(listDigests));
        m.put("shares", b64(shares));
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    private static List<Object> b64(List<byte[]> values) {
        List<Object> out = new ArrayList<>();
        values.forEach(v -> out.add(Base64.getEncoder().encodeToString(v)));
        return out;
    }

    public static FrostShareMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("frost share", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "requestId", "requestDigest", "attempt", "nodeId", "index", "listDigests",
                "shares", "signature"));
        Messages.requireFormat(f, FORMAT);
        try {
            return new FrostShareMessage(f.identifier("requestId"), f.hex("requestDigest", 64),
                    (int) f.integer("attempt", 1, FrostStatements.MAX_ATTEMPTS), f.identifier("nodeId"),
                    (int) f.integer("index", 1, 255), FrostStatements.read(f, "listDigests", 32),
                    FrostStatements.read(f, "shares", FrostStatements.SHARE_LENGTH), f.base64("signature", -1));
        } catch (IllegalArgumentException e) {
            throw new FormatException("frost share: " + e.getMessage());
        }
    }
}
