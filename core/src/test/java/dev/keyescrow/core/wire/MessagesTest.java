package dev.keyescrow.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.Decision;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private static final byte[] SIG = new byte[64];

    static {
        for (int i = 0; i < 64; i++) {
            SIG[i] = (byte) i;
        }
    }

    private static AnswerMessage answer() {
        return new AnswerMessage("node-a", new Approval("req-1", "ab".repeat(32), "custodian-1", Decision.DENY, SIG));
    }

    @Test
    void messagesRoundTrip() throws FormatException {
        AnswerMessage a = answer();
        assertEquals(a, AnswerMessage.decode(a.encode()));
        assertEquals("req-1/custodian-1", a.key());
        SignedRequestMessage r = new SignedRequestMessage("{\"x\":1}", SIG);
        assertEquals(r, SignedRequestMessage.decode(r.encode()));
        ManifestMessage m = new ManifestMessage("{}", SIG, Map.of("c2", SIG, "c1", SIG));
        ManifestMessage back = ManifestMessage.decode(m.encode());
        assertEquals(m.canonical(), back.canonical());
        assertEquals(java.util.List.of("c1", "c2"), java.util.List.copyOf(back.countersignatures().keySet()));
        assertArrayEquals(SIG, back.countersignatures().get("c2"));
    }

    @Test
    void ceremonyAndReleaseMessagesRoundTrip() throws FormatException {
        ImportMessage imp = new ImportMessage("node-a", "k", 1, 2, 32, java.time.Instant.parse("2026-11-28T12:10:00Z"),
                new byte[] {1, 2, 3}, SIG);
        assertEquals(imp, ImportMessage.decode(imp.encode()));
        assertEquals(64, imp.digest().length());
        ImportMessage other = new ImportMessage("node-b", "k", 1, 2, 32, java.time.Instant.parse("2026-11-28T12:10:00Z"),
                new byte[] {1, 2, 3}, SIG);
        assertEquals(false, imp.digest().equals(other.digest()), "the digest covers the node");
        ImportReceiptMessage receipt = new ImportReceiptMessage("node-a", "k", 1, 2, 32, "aa".repeat(32),
                "bb".repeat(32), SIG);
        ImportReceiptMessage receiptBack = ImportReceiptMessage.decode(receipt.encode());
        assertArrayEquals(receipt.encode(), receiptBack.encode());
        ReleaseMessage release = new ReleaseMessage("req-1", "cc".repeat(32), "node-a", "k", 1, 2, 32,
                new byte[40], SIG);
        assertArrayEquals(release.encode(), ReleaseMessage.decode(release.encode()).encode());
        assertEquals("req-1/2", release.key());
        ShredReceiptMessage shred = new ShredReceiptMessage("req-9", "node-a", 3, java.util.List.of("k/1/2"), SIG);
        assertArrayEquals(shred.encode(), ShredReceiptMessage.decode(shred.encode()).encode());
        assertThrows(FormatException.class, () -> ReleaseMessage.decode(shred.encode()));
        CancelMessage cancel = new CancelMessage("req-1", "cc".repeat(32), SIG);
        assertArrayEquals(cancel.encode(), CancelMessage.decode(cancel.encode()).encode());
        assertEquals(false, cancel.digest().equals(new CancelMessage("req-2", "cc".repeat(32), SIG).digest()));
    }

    /** The example of docs/spec/cluster-messages.md, byte for byte. */
    @Test
    void rollbackDigestAndIdFollowTheSpec() throws Exception {
        RollbackMessage rollback = new RollbackMessage("payments", 3, "ab".repeat(32), SIG);
        assertEquals("c2bf3a418ffe719fa37e2a44606d23e63008f4fe6b915327573269e1ab2925ef", rollback.digest());
        assertEquals("rollback-c2bf3a418ffe719fa37e2a44", rollback.rollbackId());
        assertEquals("payments/3", rollback.key());
        assertArrayEquals(rollback.encode(), RollbackMessage.decode(rollback.encode()).encode());
        assertEquals(false, rollback.digest().equals(new RollbackMessage("payments", 4, "ab".repeat(32), SIG).digest()));
        assertEquals(false, rollback.digest().equals(new RollbackMessage("payments", 3, "ac".repeat(32), SIG).digest()));
        String good = new String(rollback.encode(), StandardCharsets.UTF_8);
        for (String bad : new String[] {good.replace("\"version\":3", "\"version\":0"),
            good.replace("keyescrow-ceremony-rollback-v1", "keyescrow-cancel-v1"),
            good.replace("\"manifestDigest\":\"ab", "\"manifestDigest\":\"AB")}) {
            assertThrows(FormatException.class, () -> RollbackMessage.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    /** The rollback receipt example of docs/spec/cluster-messages.md, byte for byte. */
    @Test
    void rollbackReceiptFollowsTheSpec() throws Exception {
        RollbackReceiptMessage receipt = new RollbackReceiptMessage("node-1", "payments", 3, "ab".repeat(32), 4,
                java.util.List.of("payments/3/1"), new byte[64]);
        String expected = "{\"destroyed\":[\"payments/3/1\"],\"epoch\":4,\"format\":"
                + "\"keyescrow-rollback-receipt-message-v1\",\"keyId\":\"payments\",\"manifestDigest\":\""
                + "ab".repeat(32) + "\",\"nodeId\":\"node-1\",\"signature\":\"" + "A".repeat(86) + "==\","
                + "\"version\":3}";
        assertEquals(expected, new String(receipt.encode(), StandardCharsets.UTF_8));
        assertEquals(325, receipt.encode().length);
        assertEquals("rollback-c2bf3a418ffe719fa37e2a44/node-1", receipt.key());
        assertEquals(new RollbackMessage("payments", 3, "ab".repeat(32), SIG).rollbackId(), receipt.rollbackId());
        assertArrayEquals(receipt.encode(), RollbackReceiptMessage.decode(receipt.encode()).encode());
        // one purpose per message: neither form passes as the other
        ShredReceiptMessage shred = new ShredReceiptMessage(receipt.rollbackId(), "node-1", 4,
                java.util.List.of("payments/3/1"), SIG);
        assertThrows(FormatException.class, () -> RollbackReceiptMessage.decode(shred.encode()));
        assertThrows(FormatException.class, () -> ShredReceiptMessage.decode(receipt.encode()));
        for (String bad : new String[] {expected.replace("\"version\":3", "\"version\":0"),
            expected.replace("\"epoch\":4", "\"epoch\":0"),
            expected.replace("rollback-receipt-message-v1", "rollback-receipt-message-v2"),
            expected.replace("\"manifestDigest\":\"ab", "\"manifestDigest\":\"AB"),
            expected.replace("{\"destroyed\"", "{\"requestId\":\"rollback-c2bf3a418ffe719fa37e2a44\",\"destroyed\"")}) {
            assertThrows(FormatException.class,
                    () -> RollbackReceiptMessage.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    @Test
    void foreignFormatsAndFieldsAreRefused() {
        String good = new String(answer().encode(), StandardCharsets.UTF_8);
        for (String bad : new String[] {
            good.replace("keyescrow-answer-v1", "keyescrow-answer-v2"),
            good.replace("\"decision\":\"DENY\"", "\"decision\":\"MAYBE\""),
            good.replace("{\"custodianId\"", "{\"admin\":\"yes\",\"custodianId\""),
            good.replace("\"nodeId\":\"node-a\"", "\"nodeId\":\"Node A\"")}) {
            assertThrows(FormatException.class, () -> AnswerMessage.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertThrows(FormatException.class, () -> SignedRequestMessage.decode(answer().encode()));
    }

    @Property(tries = 60)
    void everySingleByteChangeIsRefusedOrChangesTheMessage(@ForAll @IntRange(min = 0, max = 400) int at,
                                                          @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] encoded = answer().encode();
        int position = at % encoded.length;
        byte[] changed = encoded.clone();
        changed[position] ^= (byte) flip;
        try {
            AnswerMessage decoded = AnswerMessage.decode(changed);
            // a change that still parses must be visible in the decoded message (it then fails signature checks)
            assertEquals(false, decoded.equals(answer()));
        } catch (FormatException expected) {
            // refused: fine
        }
    }
}
