package dev.keyescrow.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.Statements;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The coordinator rebuilds import receipts from digests; the bytes must be exactly the token's. */
class NodeStatementsTest {
    @Test
    void importReceiptFromDigests_equalsTheTokensStatement() {
        SecureRandom random = new SecureRandom();
        for (int length : new int[] {1, 32, 33, 200}) {
            byte[] envelope = new byte[length + 80];
            byte[] blob = new byte[length + 13];
            random.nextBytes(envelope);
            random.nextBytes(blob);
            ShareRef ref = new ShareRef("key-1", 7, 3, length);
            assertArrayEquals(Statements.importReceipt("node-1", ref, envelope, blob),
                    NodeStatements.importReceipt("node-1", ref, HexFormat.of().formatHex(Statements.sha256(envelope)),
                            HexFormat.of().formatHex(Statements.sha256(blob))));
        }
    }

    @Test
    void importReceiptWithANonDigest_isRefused() {
        ShareRef ref = new ShareRef("key-1", 1, 1, 32);
        assertThrows(IllegalArgumentException.class, () -> NodeStatements.importReceipt("node-1", ref, "ab",
                "00".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> NodeStatements.importReceipt("node-1", ref,
                "AB".repeat(32), "00".repeat(32)));
    }
}
