package dev.keyescrow.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
    private static final long SEED = 2026;

    /** --skew turns some pauses into clock skews of a node and moves no other fault. */
    @Test
    void skewReplacesSomePausesAndKeepsEveryOtherFault() {
        List<Fault> plain = FaultSchedule.plan(SEED, 1_800_000, 4000, 5).faults();
        List<Fault> skewed = FaultSchedule.plan(SEED, 1_800_000, 4000, 5, false, true).faults();
        assertEquals(skewed, FaultSchedule.plan(SEED, 1_800_000, 4000, 5, false, true).faults(), "same seed, same plan");
        assertEquals(plain.size(), skewed.size());
        int skews = 0;
        for (int i = 0; i < plain.size(); i++) {
            Fault before = plain.get(i);
            Fault after = skewed.get(i);
            if (after.kind() == FaultKind.CLOCK_SKEW) {
                skews++;
                assertEquals(FaultKind.PAUSE, before.kind());
                assertEquals(before.atMillis(), after.atMillis());
                assertTrue(after.targets().get(0).startsWith("node-"), after.toString());
                assertEquals(FaultSchedule.SKEW, Math.abs(after.clockOffsetSeconds()), after.toString());
                assertEquals(4 * before.holdMillis(), after.holdMillis());
            } else {
                assertEquals(before, after);
            }
        }
        assertTrue(skews > 10, "a 30-minute plan has clock skews: " + skews);
        assertTrue(skewed.stream().anyMatch(f -> f.clockOffsetSeconds() > 0)
                && skewed.stream().anyMatch(f -> f.clockOffsetSeconds() < 0), "ahead and behind");
    }
}
