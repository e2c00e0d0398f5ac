package dev.keyescrow.core.integrity;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.signature.KeyFingerprint;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a person checks in a manifest before countersigning, done by the tools: one person must
 * never hold two shares. Two holders with one public key are one person with two votes (the
 * {@link Manifest} constructor refuses that too, but a review must say so in words, from the
 * raw text, even when the manifest does not parse); two holders on one node give that node's
 * administrator both shares. The coordinator refuses a node holding {@code t} shares; fewer
 * are allowed by the code and must be a decision of the organisation, so they are a warning.
 */
public final class ManifestChecks {
    /** Why a manifest needs a second look. */
    public enum Kind {
        /** Two holders share one public key: one person answers twice. Never acceptable. */
        DUPLICATE_KEY,
        /** Two or more holders are on one node: its administrator can use all their shares. */
        SHARED_NODE
    }

    /** One finding, in words a custodian can read aloud. */
    public record Warning(Kind kind, String text) {
        public Warning {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(text, "text");
        }
    }

    /** The fields of a holder these checks read. */
    private record Entry(int index, String custodianId, String publicKey, String nodeId) {
    }

    private ManifestChecks() {
    }

    /** The warnings of a parsed manifest (which cannot hold a duplicate key, so only shared nodes). */
    public static List<Warning> of(Manifest manifest) {
        List<Entry> entries = new ArrayList<>();
        for (Holder h : manifest.holders()) {
            entries.add(new Entry(h.index(), h.custodianId(), Base64.getEncoder().encodeToString(h.publicKey()),
                    h.nodeId()));
        }
        return check(entries, manifest.threshold());
    }

    /**
     * The warnings of a manifest's canonical text, read as leniently as needed to name the
     * holders: a manifest that {@link Manifest#parse} refuses for a duplicate key is still named.
     *
     * @throws FormatException the text has no readable holders
     */
    public static List<Warning> ofCanonical(byte[] canonical) throws FormatException {
        JsonFields f = new JsonFields("manifest", CanonicalJsonParser.parseObject(canonical));
        List<Object> holders = f.array("holders");
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < holders.size(); i++) {
            JsonFields h = JsonFields.element("manifest.holders[" + i + "]", holders.get(i));
            entries.add(new Entry((int) h.integer("index", 1, 255), h.string("custodianId"), h.string("publicKey"),
                    h.string("nodeId")));
        }
        return check(entries, (int) f.integer("threshold", 1, 255));
    }

    /** Whether any warning is of {@code kind}. */
    public static boolean has(List<Warning> warnings, Kind kind) {
        return warnings.stream().anyMatch(w -> w.kind() == kind);
    }

    private static List<Warning> check(List<Entry> entries, int threshold) {
        List<Warning> warnings = new ArrayList<>();
        Map<String, List<Entry>> byKey = new LinkedHashMap<>();
        Map<String, List<Entry>> byNode = new LinkedHashMap<>();
        for (Entry e : entries) {
            byKey.computeIfAbsent(e.publicKey(), k -> new ArrayList<>()).add(e);
            byNode.computeIfAbsent(e.nodeId(), k -> new ArrayList<>()).add(e);
        }
        byKey.forEach((key, same) -> {
            if (same.size() > 1) {
                warnings.add(new Warning(Kind.DUPLICATE_KEY, "holders " + names(same) + " have the same public key"
                        + fingerprint(key) + ": one person would answer " + same.size() + " times"));
            }
        });
        byNode.forEach((node, same) -> {
            if (same.size() > 1) {
                warnings.add(new Warning(Kind.SHARED_NODE, "holders " + names(same) + " are all on node " + node
                        + ": its administrator can use " + same.size() + " shares (" + threshold + " rebuild the key)"));
            }
        });
        return List.copyOf(warnings);
    }

    private static String names(List<Entry> entries) {
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            names.add(e.index() + " " + e.custodianId());
        }
        return String.join(", ", names);
    }

    private static String fingerprint(String base64) {
        try {
            return " (SHA-256 " + KeyFingerprint.of(Base64.getDecoder().decode(base64)) + ")";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
