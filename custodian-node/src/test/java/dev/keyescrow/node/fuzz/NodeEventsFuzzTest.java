package dev.keyescrow.node.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.node.approval.NodeEvents;

/** The node's journal-record bodies, decoded at every start: refused with {@link FormatException}, or round-tripped. */
class NodeEventsFuzzTest {
    @FuzzTest
    void decode(byte[] input) {
        try {
            assertArrayEquals(input, NodeEvents.encode(NodeEvents.decode(input)));
        } catch (FormatException refused) {
            // a documented refusal: the node refuses to start on a record it cannot read
        }
    }
}
