package dev.keyescrow.node.approval;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Which public key each custodian id was pinned with, across every manifest this node
 * admitted. A custodian id keeps its key for ever and a key belongs to one id: otherwise a
 * compromised coordinator could pin an honest custodian's id to its own key in a successor
 * version, and the node would count the attacker's signatures under the honest name.
 */
final class CustodianKeys {
    private final Map<String, String> keyOf = new HashMap<>();
    private final Map<String, String> ownerOf = new HashMap<>();

    /** Refuses a manifest that pins a known id with another key, or a known key under another id. */
    void check(Manifest manifest) throws NodeRefusedException {
        Map<String, String> inManifest = new HashMap<>();
        for (Holder h : manifest.holders()) {
            String key = hex(h.publicKey());
            String known = keyOf.get(h.custodianId());
            if (known != null && !known.equals(key)) {
                throw new NodeRefusedException(NodeRefusalReason.CONFLICT, manifest.keyId() + " v" + manifest.version()
                        + " pins custodian " + h.custodianId() + " with another key than before;"
                        + " a custodian id keeps its key for ever");
            }
            String owner = ownerOf.getOrDefault(key, inManifest.get(key));
            if (owner != null && !owner.equals(h.custodianId())) {
                throw new NodeRefusedException(NodeRefusalReason.CONFLICT, manifest.keyId() + " v" + manifest.version()
                        + " gives custodian " + h.custodianId() + " the key of custodian " + owner
                        + "; one key per custodian");
            }
            inManifest.put(key, h.custodianId());
        }
    }

    /** Records the manifest's holders (first pin wins: replay never fails). */
    void pin(Manifest manifest) {
        for (Holder h : manifest.holders()) {
            String key = hex(h.publicKey());
            keyOf.putIfAbsent(h.custodianId(), key);
            ownerOf.putIfAbsent(key, h.custodianId());
        }
    }

    private static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }
}
