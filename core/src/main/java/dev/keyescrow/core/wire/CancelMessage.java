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
 * The coordinator cancelled a request: nodes stop counting answers for it and release or
 * shred nothing for it. Signed by the coordinator (statement kind {@code cancel}) over
 * {@link #digest()}, which binds the request id and the request's own digest.
 */
public record CancelMessage(String requestId, String requestDigest, byte[] coordinatorSignature) {
    public static final String FORMAT = "keyescrow-cancel-v1";

    public CancelMessage {
        Identifiers.require(requestId, "request id");
        coordinatorSignature = coordinatorSignature.clone();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    private Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("requestId", requestId);
        m.put("requestDigest", requestDigest);
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

    public static CancelMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("cancel", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "requestId", "requestDigest", "coordinatorSignature"));
        Messages.requireFormat(f, FORMAT);
        return new CancelMessage(f.identifier("requestId"), f.hex("requestDigest", 64),
                f.base64("coordinatorSignature", 64));
    }
}
