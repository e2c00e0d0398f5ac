package dev.keyescrow.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    @Test
    void passesABurstPerWindowThenSaysHowManyWereLeftOut() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        RateLimitedLog log = new RateLimitedLog(lines::add, 3, 1_000, now::get);
        for (int i = 0; i < 10; i++) {
            log.accept("line " + i);
        }
        assertEquals(List.of("line 0", "line 1", "line 2"), lines);
        now.addAndGet(1_000);
        log.accept("later");
        assertEquals(List.of("line 0", "line 1", "line 2",
                "7 more cluster log lines were left out in the last window", "later"), lines);
    }
}
