package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No node may hold t shares of one key: its administrator alone could rebuild it (trust model 1). */
class QuorumSpreadTest {
    private static Custodian on(String id, String node) {
        return new Custodian(id, new byte[32], node, Instant.EPOCH);
    }

    @Test
    void aNodeHoldingTheThresholdIsRefusedAndOneBelowIsAllowed() {
        List<Custodian> twoOnNodeA = List.of(on("c1", "node-a"), on("c2", "node-a"), on("c3", "node-b"));
        RefusedException e = assertThrows(RefusedException.class,
                () -> KeyIntake.requireNoNodeHoldsAQuorum(twoOnNodeA, 2));
        assertEquals(RefusalReason.INVALID, e.reason());
        assertEquals("node node-a would hold 2 shares, at least the threshold 2: its administrator alone could"
                + " rebuild the key; spread the custodians over more nodes", e.getMessage());
        assertDoesNotThrow(() -> KeyIntake.requireNoNodeHoldsAQuorum(twoOnNodeA, 3));
    }
}
