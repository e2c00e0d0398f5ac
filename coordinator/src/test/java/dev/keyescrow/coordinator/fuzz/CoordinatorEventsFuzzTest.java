package dev.keyescrow.coordinator.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.coordinator.ledger.CoordinatorEvents;
import dev.keyescrow.core.error.FormatException;

/** The coordinator's journal-record bodies, decoded at every start: refused with {@link FormatException}, or round-tripped. */
class CoordinatorEventsFuzzTest {
    @FuzzTest
    void decode(byte[] input) {
        try {
            assertArrayEquals(input, CoordinatorEvents.encode(CoordinatorEvents.decode(input)));
        } catch (FormatException refused) {
            // a documented refusal: the coordinator refuses to start on a record it cannot read
        }
    }
}
