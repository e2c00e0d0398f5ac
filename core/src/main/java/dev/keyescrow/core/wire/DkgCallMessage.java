package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.format.Rfc3339;
import dev.keyescrow.core.frost.DkgContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The coordinator's call for a distributed key generation of {@code keyId} v{@code version}
 * ({@code docs/spec/cluster-messages.md}): threshold, the holders by index (their nodes and
 * those nodes' pinned keys), a fresh ceremony id that every proof of knowledge binds, and the
 * deadline after which nodes drop the ceremony. Signed with statement kind
 * {@code frost-dkg-call} over {@link #digest()}.
 */
public record DkgCallMessage(String ceremonyId, String keyId, int version, int threshold, Instant deadline,
                             List<DkgHolder> holders, byte[] coordinatorSignature) {
    public static final String FORMAT = "keyescrow-dkg-call-v1";

    public DkgCallMessage {
        Identifiers.require(ceremonyId, "ceremony id");
        Objects.requireNonNull(deadline, "deadline");
        deadline = deadline.truncatedTo(ChronoUnit.SECONDS);
        holders = List.copyOf(holders);
        for (int i = 0; i < holders.size(); i++) {
            if (holders.get(i).index() != i + 1) {
                throw new IllegalArgumentException("holders must be listed by index 1.." + holders.size());
            }
        }
        new DkgContext(keyId, version, threshold, holders.size(), ceremonyId); // validates the parameters
        coordinatorSignature = coordinatorSignature.clone();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    /** What every proof of knowledge and the transcript bind. */
    public DkgContext context() {
        return new DkgContext(keyId, version, threshold, holders.size(), ceremonyId);
    }

    /** The holder of share {@code index}. */
    public DkgHolder holder(int index) {
        if (index < 1 || index > holders.size()) {
            throw new IllegalArgumentException("no participant " + index + " in " + ceremonyId);
        }
        return holders.get(index - 1);
    }

    /** The map key: one call per ceremony. */
    public String key() {
        return ceremonyId;
    }

    /** SHA-256 of the body, hex: what the coordinator signs. */
    public String digest() {
        return HexFormat.of().formatHex(FrostStatements.sha256(CanonicalJson.toBytes(body())));
    }

    private Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("ceremonyId", ceremonyId);
        m.put("keyId", keyId);
        m.put("version", version);
        m.put("threshold", threshold);
        m.put("deadline", Rfc3339.format(deadline));
        List<Object> list = new ArrayList<>();
        for (DkgHolder h : holders) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", h.index());
            e.put("nodeId", h.nodeId());
            e.put("identityKey", Base64.getEncoder().encodeToString(h.identityKey()));
            e.put("transportKey", Base64.getEncoder().encodeToString(h.transportKey()));
            list.add(e);
        }
        m.put("holders", list);
        return m;
    }

    public byte[] encode() {
        Map<String, Object> m = body();
        m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
        return CanonicalJson.toBytes(m);
    }

    public static DkgCallMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("dkg call", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "ceremonyId", "keyId", "version", "threshold", "deadline", "holders",
                "coordinatorSignature"));
        Messages.requireFormat(f, FORMAT);
        try {
            List<DkgHolder> holders = new ArrayList<>();
            for (Object o : f.array("holders")) {
                JsonFields h = JsonFields.element("dkg call holder", o);
                h.requireExactly(Set.of("index", "nodeId", "identityKey", "transportKey"));
                holders.add(new DkgHolder((int) h.integer("index", 1, DkgStatements.MAX_INDEX),
                        h.identifier("nodeId"), h.base64("identityKey", 65), h.base64("transportKey", 65)));
            }
            return new DkgCallMessage(f.identifier("ceremonyId"), f.identifier("keyId"),
                    (int) f.integer("version", 1, Integer.MAX_VALUE), (int) f.integer("threshold", 2, 255),
                    Rfc3339.parse(f.string("deadline")), holders, f.base64("coordinatorSignature", 64));
        } catch (IllegalArgumentException e) {
            throw new FormatException("dkg call: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DkgCallMessage m && java.util.Arrays.equals(m.encode(), encode());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "DkgCallMessage[" + ceremonyId + ": " + keyId + " v" + version + ", " + threshold + " of "
                + holders.size() + "]";
    }
}
