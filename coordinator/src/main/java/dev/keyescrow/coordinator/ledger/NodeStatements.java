package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.Statements;
import java.nio.charset.StandardCharsets;

/**
 * Rebuilds node statements from the digests a message carries. {@code hsm.spec.Statements}
 * builds the import receipt from the raw envelope and stored blob; the coordinator has the
 * envelope it sent but never the node's stored blob, only its digest
 * ({@code storedBlobDigest}). The bytes are the same lines ({@code import-release.md});
 * {@code NodeStatementsTest} checks that both builders agree.
 */
public final class NodeStatements {
    private NodeStatements() {
    }

    /** The import receipt statement from the envelope's and the stored blob's SHA-256 (lowercase hex). */
    public static byte[] importReceipt(String nodeId, ShareRef ref, String envelopeDigestHex,
            String storedBlobDigestHex) {
        requireHex64(envelopeDigestHex, "envelope digest");
        requireHex64(storedBlobDigestHex, "stored blob digest");
        return String.join("\n", Statements.IMPORT_RECEIPT, Identifiers.require(nodeId, "node id"), ref.keyId(),
                Integer.toString(ref.version()), Integer.toString(ref.index()), Integer.toString(ref.length()),
                envelopeDigestHex, storedBlobDigestHex).getBytes(StandardCharsets.UTF_8);
    }

    private static void requireHex64(String hex, String what) {
        if (hex == null || !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(what + " must be 64 lowercase hex digits");
        }
    }
}
