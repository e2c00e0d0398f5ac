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
import java.util.regex.Pattern;

/**
 * The coordinator rolled back the ceremony that was to create {@code keyId} v{@code version}
 * (it never committed: a receipt was missing, or the coordinator restarted): each node
 * crypto-shreds whatever shares of that version it imported. Signed by the coordinator
 * (statement kind {@code ceremony-rollback}) over {@link #digest()}, which binds the key id,
 * the version and the digest of the ceremony's unsigned manifest (what {@code ceremony-started}
 * journaled at the coordinator), so a rollback names one ceremony and nothing else.
 */
public record RollbackMessage(String keyId, int version, String manifestDigest, byte[] coordinatorSignature) {
    public static final String FORMAT = "keyescrow-ceremony-rollback-v1";
    /** How the id of a rollback's shred begins; the rest is the first 24 hex digits of {@link #digest()}. */
    public static final String ID_PREFIX = "rollback-";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    public RollbackMessage {
        Identifiers.require(keyId, "key id");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
        if (manifestDigest == null || !DIGEST.matcher(manifestDigest).matches()) {
            throw new IllegalArgumentException("manifest digest must be 64 lowercase hex digits");
        }
        coordinatorSignature = coordinatorSignature.clone();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    /** The cluster map key: one rollback per key version. */
    public String key() {
        return keyId + "/" + version;
    }

    /**
     * The id under which nodes journal this rollback's shred and publish its receipt: an
     * identifier that no request id takes (request ids begin {@code req-}).
     */
    public String rollbackId() {
        return ID_PREFIX + digest().substring(0, 24);
    }

    /** The id of the rollback of {@code keyId} v{@code version} whose manifest has {@code manifestDigest}. */
    public static String rollbackId(String keyId, int version, String manifestDigest) {
        return new RollbackMessage(keyId, version, manifestDigest, new byte[0]).rollbackId();
    }

    private Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("keyId", keyId);
        m.put("version", version);
        m.put("manifestDigest", manifestDigest);
        return m;
    }

    /** SHA-256 (hex) of the canonical JSON of everything but the signature: what the coordinator signs. */
    public String digest() {
        return ImportMessage.sha256Hex(CanonicalJson.toBytes(body()));
    }

    public byte[] encode() {
        Map<String, Object> m = body();
        m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
        return CanonicalJson.toBytes(m);
    }

    public static RollbackMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("rollback", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "keyId", "version", "manifestDigest", "coordinatorSignature"));
        Messages.requireFormat(f, FORMAT);
        try {
            return new RollbackMessage(f.identifier("keyId"), (int) f.integer("version", 1, Integer.MAX_VALUE),
                    f.hex("manifestDigest", 64), f.base64("coordinatorSignature", 64));
        } catch (IllegalArgumentException e) {
            throw new FormatException("rollback: " + e.getMessage());
        }
    }
}
