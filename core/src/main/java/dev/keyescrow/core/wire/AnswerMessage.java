package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.Decision;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A custodian's answer, as the node that accepted it publishes it. The answer's own Ed25519
 * signature is the credential; {@code nodeId} only says where it was given.
 */
public record AnswerMessage(String nodeId, Approval approval) {
    public static final String FORMAT = "keyescrow-answer-v1";

    public AnswerMessage {
        Identifiers.require(nodeId, "node id");
    }

    /** The map key under which it is published: one answer per custodian and request. */
    public String key() {
        return approval.requestId() + "/" + approval.custodianId();
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("nodeId", nodeId);
        m.put("requestId", approval.requestId());
        m.put("requestDigest", approval.requestDigest());
        m.put("custodianId", approval.custodianId());
        m.put("decision", approval.decision().name());
        m.put("signature", Base64.getEncoder().encodeToString(approval.signature()));
        return CanonicalJson.toBytes(m);
    }

    public static AnswerMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("answer", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "nodeId", "requestId", "requestDigest", "custodianId", "decision",
                "signature"));
        Messages.requireFormat(f, FORMAT);
        Decision decision;
        try {
            decision = Decision.valueOf(f.string("decision"));
        } catch (IllegalArgumentException e) {
            throw new FormatException("answer: decision must be APPROVE or DENY");
        }
        return new AnswerMessage(f.identifier("nodeId"), new Approval(f.identifier("requestId"),
                f.hex("requestDigest", 64), f.identifier("custodianId"), decision, f.base64("signature", 64)));
    }
}
