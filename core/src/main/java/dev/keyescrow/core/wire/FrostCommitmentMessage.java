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
 * A node's round one of a SIGN request ({@code docs/spec/frost.md}, "SIGN on the wire"): for
 * share {@code index}, attempt {@code attempt}, one commitment per message in request order,
 * each {@code D || E} (hiding and binding nonce commitments, 32 bytes each). Signed by the
 * node's identity key over {@link FrostStatements#commitment}; the node journaled the nonces
 * as spent before publishing it.
 */
public record FrostCommitmentMessage(String requestId, String requestDigest, int attempt, String nodeId, int index,
                                     List<byte[]> commitments, byte[] signature) {
    public static final String FORMAT = "keyescrow-frost-commitment-v1";

    public FrostCommitmentMessage {
        Identifiers.require(requestId, "request id");
        Identifiers.require(nodeId, "node id");
        FrostStatements.requireDigest(requestDigest);
        FrostStatements.requireAttempt(attempt);
        FrostStatements.requireIndex(index);
        commitments = FrostStatements.copyCommitments(commitments);
        signature = signature.clone();
    }

    @Override
    public List<byte[]> commitments() {
        return commitments.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The bytes the node signs. */
    public byte[] statement() {
        return FrostStatements.commitment(requestId, requestDigest, attempt, nodeId, index, commitments);
    }

    /** The map key: one commitment per request, attempt and share. */
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
        List<Object> list = new ArrayList<>();
        commitments.forEach(c -> list.add(Base64.getEncoder().encodeToString(c)));
        m.put("commitments", list);
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static FrostCommitmentMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("frost commitment", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "requestId", "requestDigest", "attempt", "nodeId", "index", "commitments",
                "signature"));
        Messages.requireFormat(f, FORMAT);
        try {
            return new FrostCommitmentMessage(f.identifier("requestId"), f.hex("requestDigest", 64),
                    (int) f.integer("attempt", 1, FrostStatements.MAX_ATTEMPTS), f.identifier("nodeId"),
                    (int) f.integer("index", 1, 255), FrostStatements.readCommitments(f, "commitments"),
                    f.base64("signature", 64));
        } catch (IllegalArgumentException e) {
            throw new FormatException("frost commitment: " + e.getMessage());
        }
    }
}
