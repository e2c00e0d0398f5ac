package dev.keyescrow.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.Decision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every event type survives the journal encoding byte for byte; anything else is refused. */
class CoordinatorEventsTest {
    private static final byte[] SIG = new byte[64];
    private static final String DIGEST = "ab".repeat(32);

    @Test
    void everyEventRoundTrips() throws FormatException {
        List<CoordinatorEvent> events = List.of(
                new CoordinatorEvent.CustodianRegistered("custodian-1", new byte[32], "node-1"),
                new CoordinatorEvent.CustodianRetired("custodian-1", "alice", "registered on the wrong node"),
                new CoordinatorEvent.CeremonyStarted("{\"format\":\"x\"}", new byte[65]),
                new CoordinatorEvent.ReceiptVerified("key-1", 2, 3, 32, "node-3", DIGEST, DIGEST, SIG),
                new CoordinatorEvent.CeremonyFailed("key-1", 2, "nodes [node-3] did not confirm"),
                new CoordinatorEvent.VersionCreated("key-1", 2, SIG),
                new CoordinatorEvent.Countersigned("key-1", 2, "custodian-1", SIG),
                new CoordinatorEvent.VersionStateChanged("key-1", 2, KeyState.ACTIVE, "every custodian countersigned"),
                new CoordinatorEvent.RequestCreated("{}", SIG, DIGEST, null),
                new CoordinatorEvent.RequestCreated("{}", SIG, null, new byte[100]),
                new CoordinatorEvent.AnswerCounted("node-1", new Approval("req-1", DIGEST, "custodian-1",
                        Decision.APPROVE, SIG)),
                new CoordinatorEvent.ReleaseAccepted("req-1", 3, "node-3", DIGEST),
                new CoordinatorEvent.ReleaseRefused("req-1", 4, "node-4", "release of share 4 ... does not verify"),
                new CoordinatorEvent.RequestStateChanged("req-1", RequestState.APPROVED, "approved"),
                new CoordinatorEvent.ShredVerified("req-1", "node-1", 2, List.of("key-1/2/1"), SIG),
                new CoordinatorEvent.RollbackReceiptVerified("key-1", 3, DIGEST, "node-2", 4, List.of("key-1/3/2"),
                        SIG),
                new CoordinatorEvent.RollbackReceiptVerified("key-1", 3, DIGEST, "node-3", 5, List.of(), SIG),
                // the old form, journaled before rollback receipts named their rollback, still reads
                new CoordinatorEvent.RollbackReceiptVerified("key-1", 3, null, "node-1", 6, List.of("key-1/3/1"), SIG));
        for (CoordinatorEvent event : events) {
            byte[] encoded = CoordinatorEvents.encode(event);
            assertArrayEquals(encoded, CoordinatorEvents.encode(CoordinatorEvents.decode(encoded)), event.type());
        }
    }

    /** A request record names its stored sealed key or, written before the store, carries the envelope: never both. */
    @Test
    void aRequestRecordHasExactlyOneFormOfItsSealedKey() {
        assertThrows(IllegalArgumentException.class, () -> new CoordinatorEvent.RequestCreated("{}", SIG, DIGEST,
                new byte[100]));
        assertThrows(IllegalArgumentException.class, () -> new CoordinatorEvent.RequestCreated("{}", SIG, null, null));
        assertThrows(IllegalArgumentException.class, () -> new CoordinatorEvent.RequestCreated("{}", SIG, "AB", null));
        String sig = java.util.Base64.getEncoder().encodeToString(SIG);
        assertThrows(FormatException.class, () -> CoordinatorEvents.decode(("{\"canonical\":\"{}\",\"coordinatorSignature\":\""
                + sig + "\",\"ephemeralEnvelope\":\"AAAA\",\"event\":\"request-created\",\"sealedKey\":\"" + DIGEST
                + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void unknownTypeOrFieldIsRefused() {
        assertThrows(FormatException.class, () -> CoordinatorEvents.decode(
                "{\"event\":\"key-stolen\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(FormatException.class, () -> CoordinatorEvents.decode(
                "{\"event\":\"ceremony-failed\",\"extra\":\"x\",\"keyId\":\"k\",\"reason\":\"r\",\"version\":1}"
                        .getBytes(StandardCharsets.UTF_8)));
    }
}
