package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * DKG round two: participant {@code sender}'s evaluation f_sender(recipient), in an envelope
 * that only the recipient node's token opens (transport key, KEK purpose {@code frost-dkg-share},
 * {@code docs/spec/kdf.md}). Signed by the sender node's identity key over {@link #statement()},
 * so a complaint about it names the node that really sent it.
 */
public record DkgShareMessage(String ceremonyId, String nodeId, int sender, int recipient, byte[] envelope,
                              byte[] signature) {
    public static final String FORMAT = "keyescrow-dkg-share-v1";

    public DkgShareMessage {
        Identifiers.require(ceremonyId, "ceremony id");
        Identifiers.require(nodeId, "node id");
        DkgStatements.requireIndex(sender);
        DkgStatements.requireIndex(recipient);
        if (sender == recipient) {
            throw new IllegalArgumentException("a participant keeps its own evaluation");
        }
        envelope = envelope.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The map key: one share per ceremony, sender and recipient. */
    public String key() {
        return ceremonyId + "/" + sender + "/" + recipient;
    }

    /** The bytes the node signs. */
    public byte[] statement() {
        return DkgStatements.statement(FORMAT, body());
    }

    /** @throws SignatureException unless the sending holder's node signed this */
    public void verify(DkgHolder holder) throws SignatureException {
        if (holder.index() != sender || !holder.nodeId().equals(nodeId)) {
            throw new SignatureException("share " + key() + " does not come from participant " + holder.index()
                    + "'s node " + holder.nodeId());
        }
        DkgStatements.verify(holder.identityKey(), statement(), signature);
    }

    private Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("ceremonyId", ceremonyId);
        m.put("nodeId", nodeId);
        m.put("sender", sender);
        m.put("recipient", recipient);
        m.put("envelope", Base64.getEncoder().encodeToString(envelope));
        return m;
    }

    public byte[] encode() {
        Map<String, Object> m = body();
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static DkgShareMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("dkg share", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "ceremonyId", "nodeId", "sender", "recipient", "envelope", "signature"));
        Messages.requireFormat(f, FORMAT);
        try {
            return new DkgShareMessage(f.identifier("ceremonyId"), f.identifier("nodeId"),
                    (int) f.integer("sender", 1, DkgStatements.MAX_INDEX),
                    (int) f.integer("recipient", 1, DkgStatements.MAX_INDEX), f.base64("envelope", -1),
                    f.base64("signature", 64));
        } catch (IllegalArgumentException e) {
            throw new FormatException("dkg share: " + e.getMessage());
        }
    }
}
