package dev.keyescrow.cli.recipient;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.EcdsaP256;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The node identity keys the recipient trusts, by fingerprint: {@code nodeId=fingerprint}
 * entries, where the fingerprint is the lowercase hex SHA-256 of the node's 65-byte identity
 * public key (what {@code escrow node fingerprint} and {@code GET /v1/nodes} show, and what
 * the enrolment record holds). Entries are separated by commas or new lines; blank lines and
 * lines starting with {@code #} are ignored, so a pin file can carry notes.
 */
public final class NodePins {
    private final Map<String, String> fingerprints;

    private NodePins(Map<String, String> fingerprints) {
        this.fingerprints = Collections.unmodifiableMap(fingerprints);
    }

    /** @throws IllegalArgumentException naming the first bad entry (public text only) */
    public static NodePins parse(String text) {
        Map<String, String> pins = new TreeMap<>();
        for (String line : text.split("[,\\n]")) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("node pin \"" + entry + "\" is not NODE_ID=FINGERPRINT");
            }
            String nodeId = entry.substring(0, eq).strip();
            String fingerprint = entry.substring(eq + 1).strip().toLowerCase(java.util.Locale.ROOT);
            if (!Identifiers.isValid(nodeId)) {
                throw new IllegalArgumentException("node pin \"" + entry + "\": \"" + nodeId + "\" is not a node id");
            }
            if (!fingerprint.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("node pin \"" + entry + "\": the fingerprint must be 64 hex digits"
                        + " (SHA-256 of the node's identity public key)");
            }
            String earlier = pins.put(nodeId, fingerprint);
            if (earlier != null && !earlier.equals(fingerprint)) {
                throw new IllegalArgumentException("node " + nodeId + " is pinned twice with different fingerprints");
            }
        }
        if (pins.isEmpty()) {
            throw new IllegalArgumentException("no node pinned");
        }
        return new NodePins(pins);
    }

    /** Whether {@code identityPublicKey} is the key pinned for {@code nodeId} (compared in constant time). */
    public boolean trusts(String nodeId, byte[] identityPublicKey) {
        Optional<String> pinned = Optional.ofNullable(fingerprints.get(nodeId));
        if (pinned.isEmpty()) {
            return false;
        }
        try {
            byte[] actual = HexFormat.of().parseHex(EcdsaP256.fingerprint(identityPublicKey));
            return MessageDigest.isEqual(actual, HexFormat.of().parseHex(pinned.get()));
        } catch (SignatureException e) {
            return false;
        }
    }

    public boolean pins(String nodeId) {
        return fingerprints.containsKey(nodeId);
    }

    public int size() {
        return fingerprints.size();
    }
}
