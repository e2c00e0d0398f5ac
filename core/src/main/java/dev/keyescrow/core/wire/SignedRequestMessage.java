package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.JsonFields;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A canonical request with the coordinator's signature (kind {@code request}) beside it. */
public record SignedRequestMessage(String canonical, byte[] coordinatorSignature) {
    public static final String FORMAT = "keyescrow-signed-request-v1";

    public SignedRequestMessage {
        coordinatorSignature = coordinatorSignature.clone();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("canonical", canonical);
        m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
        return CanonicalJson.toBytes(m);
    }

    public static SignedRequestMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("signed request", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "canonical", "coordinatorSignature"));
        Messages.requireFormat(f, FORMAT);
        return new SignedRequestMessage(f.string("canonical"), f.base64("coordinatorSignature", 64));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRequestMessage m && m.canonical.equals(canonical)
                && Arrays.equals(m.coordinatorSignature, coordinatorSignature);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }
}
