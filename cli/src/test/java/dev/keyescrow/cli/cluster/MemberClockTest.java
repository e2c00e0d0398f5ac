package dev.keyescrow.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberClockTest {
    @Test
    void aProductionMemberRefusesAClockOffset() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> MemberClock.of(false, Map.of(MemberClock.VARIABLE, "600")));
        assertTrue(refused.getMessage().contains("only in development mode"), refused.getMessage());
        assertEquals(Clock.systemUTC(), MemberClock.of(false, Map.of()));
    }

    @Test
    void aDevelopmentMemberRunsAheadOrBehindByTheOffset() {
        Instant before = Instant.now();
        Instant ahead = MemberClock.of(true, Map.of(MemberClock.VARIABLE, "600")).instant();
        Instant behind = MemberClock.of(true, Map.of(MemberClock.VARIABLE, "-600")).instant();
        Instant after = Instant.now();
        assertTrue(!ahead.isBefore(before.plusSeconds(600)) && !ahead.isAfter(after.plusSeconds(600)), ahead.toString());
        assertTrue(!behind.isBefore(before.minusSeconds(600)) && !behind.isAfter(after.minusSeconds(600)),
                behind.toString());
        assertEquals(", clock -600 s", MemberClock.describe(Map.of(MemberClock.VARIABLE, "-600")));
        assertEquals("", MemberClock.describe(Map.of()));
    }

    @Test
    void anOffsetIsWholeSecondsWithinADay() {
        assertThrows(IllegalArgumentException.class, () -> MemberClock.of(true, Map.of(MemberClock.VARIABLE, "10m")));
        assertThrows(IllegalArgumentException.class, () -> MemberClock.of(true, Map.of(MemberClock.VARIABLE,
                Long.toString(MemberClock.MAX_OFFSET_SECONDS + 1))));
        assertEquals(Duration.ofDays(-1), MemberClock.offset(Map.of(MemberClock.VARIABLE, "-86400")));
    }
}
