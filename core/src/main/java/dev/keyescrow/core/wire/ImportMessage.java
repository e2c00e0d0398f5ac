package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.Rfc3339;
import dev.keyescrow.core.format.JsonFields;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A share sent to its node at a ceremony: the import envelope (already encrypted to the
 * node's pinned transport key, {@code docs/spec/kdf.md}), which share it is, and the
 * deadline after which the node refuses it. The coordinator signs {@link #digest()} with
 * statement kind {@code import}, so a node imports only what the pinned coordinator sent,
 * and only during the ceremony: a recorded import re-published later is refused.
 */
public record ImportMessage(String nodeId, String keyId, int version, int index, int length, Instant deadline,
                            byte[] envelope, byte[] coordinatorSignature) {
    public static final String FORMAT = "keyescrow-import-v2";
    /** How long after a ceremony starts its imports are accepted. */
    public static final Duration WINDOW = Duration.ofMinutes(10);

    public ImportMessage {
        Identifiers.require(nodeId, "node id");
        Identifiers.require(keyId, "key id");
        if (version < 1 || index < 1 || index > 255 || length < 1 || length > 65536) {
            throw new IllegalArgumentException("version, index or length out of range");
        }
        Objects.requireNonNull(deadline, "deadline");
        deadline = deadline.truncatedTo(ChronoUnit.SECONDS);
        envelope = envelope.clone();
        coordinatorSignature = coordinatorSignature.clone();
    }

    /** Whether the ceremony's window for this import has closed at {@code now}. */
    public boolean isLateAt(Instant now) {
        return now.isAfter(deadline);
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    /** The map key: one import per share. */
    public String key() {
        return keyId + "/" + version + "/" + index;
    }

    private Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("nodeId", nodeId);
        m.put("keyId", keyId);
        m.put("version", version);
        m.put("index", index);
        m.put("length", length);
        m.put("deadline", Rfc3339.format(deadline));
        m.put("envelope", Base64.getEncoder().encodeToString(envelope));
        return m;
    }

    /** SHA-256 (hex) of the canonical JSON of everything but the signature: what the coordinator signs. */
    public String digest() {
        return sha256Hex(CanonicalJson.toBytes(body()));
    }

    public byte[] encode() {
        Map<String, Object> m = body();
        m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
        return CanonicalJson.toBytes(m);
    }

    public static ImportMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("import", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "nodeId", "keyId", "version", "index", "length", "deadline", "envelope",
                "coordinatorSignature"));
        Messages.requireFormat(f, FORMAT);
        return new ImportMessage(f.identifier("nodeId"), f.identifier("keyId"),
                (int) f.integer("version", 1, Integer.MAX_VALUE), (int) f.integer("index", 1, 255),
                (int) f.integer("length", 1, 65536), Rfc3339.parse(f.string("deadline")), f.base64("envelope", -1), f.base64("coordinatorSignature", 64));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImportMessage m && Arrays.equals(m.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "ImportMessage[" + key() + " to " + nodeId + "]";
    }
}
