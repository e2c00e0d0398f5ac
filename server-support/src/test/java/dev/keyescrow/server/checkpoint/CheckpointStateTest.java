package dev.keyescrow.server.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The checkpoint's state field: one encoding, strictly decoded; digests that cannot be confused. */
class CheckpointStateTest {
    private static final byte[] DIGEST = new StateDigest("node").field("x").finish();

    @Test
    void roundTripsAndStartsWithItsOwnLabel() {
        CheckpointState state = new CheckpointState("node", DIGEST);
        byte[] encoded = state.encode();
        assertTrue(new String(encoded, StandardCharsets.US_ASCII).startsWith("keyescrow-checkpoint-state-v1\n"));
        assertEquals(state, CheckpointState.decode(encoded));
        assertArrayEquals(DIGEST, CheckpointState.decode(encoded).digest());
        assertEquals("node", CheckpointState.decode(encoded).ledger());
    }

    @Test
    void refusesAnotherLabelTrailingOrMissingBytesAndBadNames() {
        byte[] encoded = new CheckpointState("coordinator", DIGEST).encode();
        assertThrows(IllegalArgumentException.class, () -> CheckpointState.decode(Arrays.copyOf(encoded,
                encoded.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> CheckpointState.decode(Arrays.copyOf(encoded,
                encoded.length - 1)));
        byte[] relabelled = encoded.clone();
        relabelled[0] = 'K';
        assertThrows(IllegalArgumentException.class, () -> CheckpointState.decode(relabelled));
        assertThrows(IllegalArgumentException.class, () -> CheckpointState.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointState("Node", DIGEST));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointState("node", new byte[31]));
    }

    @Test
    void fieldsAreLengthPrefixed_soDifferentSplitsDiffer() {
        assertFalse(Arrays.equals(new StateDigest("node").field("ab").field("c").finish(),
                new StateDigest("node").field("a").field("bc").finish()));
        assertFalse(Arrays.equals(new StateDigest("node").field("a").finish(),
                new StateDigest("coordinator").field("a").finish()), "the ledger's name is digested");
        assertArrayEquals(new StateDigest("node").field(7).finish(), new StateDigest("node").field("7").finish());
    }

    @Test
    void theScheduleIsEveryNthRecord() {
        CheckpointSchedule every = CheckpointSchedule.DEFAULT;
        assertEquals(10_000, every.interval());
        assertFalse(every.due(0));
        assertFalse(every.due(9_999));
        assertTrue(every.due(10_000));
        assertTrue(every.due(20_000));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointSchedule(0));
    }
}
