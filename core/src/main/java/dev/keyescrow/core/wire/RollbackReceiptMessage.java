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
import java.util.regex.Pattern;

/**
 * A node's receipt for a ceremony rollback: the values of its signed rollback receipt statement
 * ({@code docs/spec/import-release.md}) — the rolled-back ceremony (key id, version, digest of its
 * unsigned manifest), the epoch of the rotation that shredded its shares and the destroyed shares
 * as {@code keyId/version/index} — and the node's identity-key signature. Unlike a shred receipt,
 * it names the rollback it answers, so it cannot be moved to another one.
 */
public record RollbackReceiptMessage(String nodeId, String keyId, int version, String manifestDigest, long epoch,
                                     List<String> destroyed, byte[] signature) {
    public static final String FORMAT = "keyescrow-rollback-receipt-message-v1";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    public RollbackReceiptMessage {
        Identifiers.require(nodeId, "node id");
        Identifiers.require(keyId, "key id");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
        if (manifestDigest == null || !DIGEST.matcher(manifestDigest).matches()) {
            throw new IllegalArgumentException("manifest digest must be 64 lowercase hex digits");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1");
        }
        destroyed = List.copyOf(destroyed);
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The id of the rollback this receipt answers ({@link RollbackMessage#rollbackId()}). */
    public String rollbackId() {
        return RollbackMessage.rollbackId(keyId, version, manifestDigest);
    }

    /** The cluster map key: {@code <rollbackId>/<nodeId>}. */
    public String key() {
        return rollbackId() + "/" + nodeId;
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("nodeId", nodeId);
        m.put("keyId", keyId);
        m.put("version", version);
        m.put("manifestDigest", manifestDigest);
        m.put("epoch", epoch);
        m.put("destroyed", new ArrayList<Object>(destroyed));
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static RollbackReceiptMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("rollback receipt", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "nodeId", "keyId", "version", "manifestDigest", "epoch", "destroyed",
                "signature"));
        Messages.requireFormat(f, FORMAT);
        List<String> destroyed = new ArrayList<>();
        for (Object o : f.array("destroyed")) {
            if (!(o instanceof String s)) {
                throw new FormatException("rollback receipt: destroyed must hold keyId/version/index strings");
            }
            destroyed.add(s);
        }
        try {
            return new RollbackReceiptMessage(f.identifier("nodeId"), f.identifier("keyId"),
                    (int) f.integer("version", 1, Integer.MAX_VALUE), f.hex("manifestDigest", 64),
                    f.integer("epoch", 1, 0xFFFF_FFFFL), destroyed, f.base64("signature", 64));
        } catch (IllegalArgumentException e) {
            throw new FormatException("rollback receipt: " + e.getMessage());
        }
    }
}
