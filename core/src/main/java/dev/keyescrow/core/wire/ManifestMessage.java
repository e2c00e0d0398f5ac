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
import java.util.TreeMap;

/**
 * A manifest's canonical JSON with the coordinator's signature (kind {@code manifest}) and
 * the custodians' countersignatures collected so far, by custodian id.
 */
public record ManifestMessage(String canonical, byte[] coordinatorSignature, Map<String, byte[]> countersignatures) {
    public static final String FORMAT = "keyescrow-manifest-message-v1";

    public ManifestMessage {
        coordinatorSignature = coordinatorSignature.clone();
        Map<String, byte[]> copy = new TreeMap<>();
        countersignatures.forEach((id, sig) -> copy.put(Identifiers.require(id, "custodian id"), sig.clone()));
        countersignatures = java.util.Collections.unmodifiableMap(copy);
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
        Map<String, Object> sigs = new LinkedHashMap<>();
        countersignatures.forEach((id, sig) -> sigs.put(id, Base64.getEncoder().encodeToString(sig)));
        m.put("countersignatures", sigs);
        return CanonicalJson.toBytes(m);
    }

    public static ManifestMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("manifest message", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "canonical", "coordinatorSignature", "countersignatures"));
        Messages.requireFormat(f, FORMAT);
        JsonFields sigs = f.object("countersignatures");
        Map<String, byte[]> countersignatures = new TreeMap<>();
        for (String id : sigs.names()) {
            if (!Identifiers.isValid(id)) {
                throw new FormatException("manifest message: countersignature key must be a custodian id");
            }
            countersignatures.put(id, sigs.base64(id, 64));
        }
        return new ManifestMessage(f.string("canonical"), f.base64("coordinatorSignature", 64), countersignatures);
    }
}
