package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.frost.DkgComplaintException.Reason;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A DKG complaint: participant {@code index} (on node {@code nodeId}) found participant
 * {@code accused}'s round-one package or round-two share wrong, and aborts the ceremony.
 * Signed by the complaining node's identity key over {@link #statement()}.
 */
public record DkgComplaintMessage(String ceremonyId, String nodeId, int index, int accused, Reason reason,
                                  byte[] signature) {
    public static final String FORMAT = "keyescrow-dkg-complaint-v1";

    public DkgComplaintMessage {
        Identifiers.require(ceremonyId, "ceremony id");
        Identifiers.require(nodeId, "node id");
        DkgStatements.requireIndex(index);
        DkgStatements.requireIndex(accused);
        Objects.requireNonNull(reason, "reason");
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The map key: a participant complains at most once per ceremony (it stops there). */
    public String key() {
        return ceremonyId + "/" + index;
    }

    /** The bytes the node signs. */
    public byte[] statement() {
        return DkgStatements.statement(FORMAT, body());
    }

    /** @throws SignatureException unless the complaining holder's node signed this */
    public void verify(DkgHolder holder) throws SignatureException {
        if (holder.index() != index || !holder.nodeId().equals(nodeId)) {
            throw new SignatureException("complaint " + key() + " does not come from participant "
                    + holder.index() + "'s node " + holder.nodeId());
        }
        DkgStatements.verify(holder.identityKey(), statement(), signature);
    }

    private Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("ceremonyId", ceremonyId);
        m.put("nodeId", nodeId);
        m.put("index", index);
        m.put("accused", accused);
        m.put("reason", reason.name());
        return m;
    }

    public byte[] encode() {
        Map<String, Object> m = body();
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static DkgComplaintMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("dkg complaint", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "ceremonyId", "nodeId", "index", "accused", "reason", "signature"));
        Messages.requireFormat(f, FORMAT);
        try {
            return new DkgComplaintMessage(f.identifier("ceremonyId"), f.identifier("nodeId"),
                    (int) f.integer("index", 1, DkgStatements.MAX_INDEX),
                    (int) f.integer("accused", 1, DkgStatements.MAX_INDEX), Reason.valueOf(f.string("reason")),
                    f.base64("signature", 64));
        } catch (IllegalArgumentException e) {
            throw new FormatException("dkg complaint: " + e.getMessage());
        }
    }
}
