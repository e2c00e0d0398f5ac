package dev.keyescrow.hsm.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.hsm.ShareBlob;
import dev.keyescrow.hsm.ShareRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statement vectors of {@code docs/spec/import-release.md}. */
class StatementVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void importReceipt_matchesSpec() {
        byte[] envelope = new byte[1 + 65 + KekDerivationVectorsTest.IMPORT_WRAPPED.length];
        envelope[0] = 1;
        System.arraycopy(KekDerivationVectorsTest.E, 0, envelope, 1, 65);
        System.arraycopy(KekDerivationVectorsTest.IMPORT_WRAPPED, 0, envelope, 66,
                KekDerivationVectorsTest.IMPORT_WRAPPED.length);
        byte[] blob = ShareBlob.of(1, new byte[48]).encoded();
        assertEquals("0100000001" + "00".repeat(48), HEX.formatHex(blob));
        assertEquals(String.join("\n", "keyescrow-import-receipt-v1", "node-1", "key-1", "1", "2", "33",
                        "f9bfec5a36d201a04793e573fbe485b3c3c761bb1884187a4c39a835602d2692",
                        "4dccbb3ed8d9203e337e137e9a7383a17660dd6e4ee0ce1f200197e1b7503933"),
                text(Statements.importReceipt("node-1", KekDerivationVectorsTest.IMPORT_REF, envelope, blob)));
    }

    @Test
    void release_matchesSpec() {
        assertEquals(String.join("\n", "keyescrow-release-v1", "req-1",
                        "9456bdfa12ea76959c94a3572f5d91c73d838622df0a8d9b4e815c276c6b7880", "node-1", "key-1", "1", "3",
                        "32", "2b0bead8f8e13597a5de84e38b2358480ed33e452af5194cb0e8525d947e6886"),
                text(Statements.release("req-1", KekDerivationVectorsTest.DIGEST, "node-1",
                        KekDerivationVectorsTest.RELEASE_REF, KekDerivationVectorsTest.RELEASE_WRAPPED)));
    }

    @Test
    void exportRelease_matchesSpec() {
        assertEquals(String.join("\n", "keyescrow-export-release-v1", "req-1",
                        "9456bdfa12ea76959c94a3572f5d91c73d838622df0a8d9b4e815c276c6b7880", "node-1", "key-1", "1", "3",
                        "32", "ab".repeat(32), HexFormat.of().formatHex(KekDerivationVectorsTest.E),
                        HexFormat.of().formatHex(KekDerivationVectorsTest.T),
                        "c2237c57766ce30a3ad070b6cb13cd7d34848ddcc1d22478bde68de6c50eb6e9"),
                text(Statements.exportRelease("req-1", KekDerivationVectorsTest.DIGEST, "node-1",
                        KekDerivationVectorsTest.RELEASE_REF, "ab".repeat(32), KekDerivationVectorsTest.E,
                        KekDerivationVectorsTest.T, KekDerivationVectorsTest.EXPORT_WRAPPED)));
        assertThrows(IllegalArgumentException.class, () -> Statements.exportRelease("req-1",
                KekDerivationVectorsTest.DIGEST, "node-1", KekDerivationVectorsTest.RELEASE_REF, "AB".repeat(32),
                KekDerivationVectorsTest.E, KekDerivationVectorsTest.T, new byte[16]), "lowercase hex only");
    }

    @Test
    void shredReceipt_sortsSharesNumerically() {
        assertEquals(String.join("\n", "keyescrow-shred-receipt-v1", "node-1", "2", "3", "key-a 2 5", "key-a 10 1",
                        "key-b 1 2"),
                text(Statements.shredReceipt("node-1", 2, List.of(new ShareRef("key-b", 1, 2, 32),
                        new ShareRef("key-a", 10, 1, 32), new ShareRef("key-a", 2, 5, 16)))));
    }

    /** The rollback receipt vector of docs/spec/import-release.md, byte for byte. */
    @Test
    void rollbackReceipt_matchesSpec() {
        byte[] statement = Statements.rollbackReceipt("node-1", "payments", 3, "ab".repeat(32), 4,
                List.of(new ShareRef("payments", 3, 1, 32)));
        assertEquals(String.join("\n", "keyescrow-rollback-receipt-v1", "node-1", "payments", "3", "ab".repeat(32),
                "4", "1", "payments 3 1"), text(statement));
        assertEquals(129, statement.length);
        assertEquals("8b9efec8ea0112e0426ec90c05cfc70ae76cfbacbf8c7a2dcf086226a5a50263",
                Statements.hex(Statements.sha256(statement)));
        // its own first line: never the bytes of a shred receipt of the same rotation
        assertEquals(false, text(statement).equals(text(Statements.shredReceipt("node-1", 4,
                List.of(new ShareRef("payments", 3, 1, 32))))));
        assertThrows(IllegalArgumentException.class, () -> Statements.rollbackReceipt("node-1", "payments", 3,
                "AB".repeat(32), 4, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Statements.rollbackReceipt("node-1", "payments", 0,
                "ab".repeat(32), 4, List.of()));
    }

    @Test
    void statementsRefuseInvalidIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> Statements.release("req\n1", new byte[32], "node-1",
                KekDerivationVectorsTest.RELEASE_REF, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> Statements.shredReceipt("Node-1", 2, List.of()));
    }

    @Test
    void storedBlobParsing_isStrict() {
        byte[] blob = ShareBlob.of(7, new byte[24]).encoded();
        byte[] badVersion = blob.clone();
        badVersion[0] = 2;
        assertThrows(dev.keyescrow.hsm.CorruptBlobException.class, () -> ShareBlob.parse(badVersion));
        assertThrows(dev.keyescrow.hsm.CorruptBlobException.class,
                () -> ShareBlob.parse(Arrays.copyOf(blob, blob.length - 1)));
        assertThrows(dev.keyescrow.hsm.CorruptBlobException.class, () -> ShareBlob.parse(Arrays.copyOf(blob, 12)));
    }

    private static String text(byte[] statement) {
        return new String(statement, StandardCharsets.UTF_8);
    }
}
