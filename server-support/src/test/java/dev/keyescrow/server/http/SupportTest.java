package dev.keyescrow.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportTest {
    @TempDir
    Path dir;

    record Body(String name, Integer count) {
    }

    @Test
    void theRefusalLogNeverGrowsPastItsBoundAndKeepsNoBodies() throws Exception {
        RefusalLog log = new RefusalLog(dir.resolve("refusals.log"), 1000, Clock.systemUTC());
        for (int i = 0; i < 200; i++) {
            log.record("POST", "/v1/x\nforged line", 400, "bad input " + i);
        }
        long size = Files.size(dir.resolve("refusals.log")) + Files.size(dir.resolve("refusals.log.1"));
        assertTrue(size <= 2000, "two files of at most 1000 bytes, got " + size);
        assertTrue(Files.readAllLines(dir.resolve("refusals.log")).stream().allMatch(l -> l.contains(" 400 ")),
                "a newline in a path cannot forge a log line");
    }

    @Test
    void strictJsonRefusesUnknownFieldsTrailingTokensAndDuplicates() throws Exception {
        assertEquals(new Body("a", 1), StrictJson.read("{\"name\":\"a\",\"count\":1}".getBytes(StandardCharsets.UTF_8),
                Body.class));
        for (String bad : new String[] {"{\"name\":\"a\",\"x\":1}", "{\"name\":\"a\"} {}", "{\"name\":\"a\",\"name\":\"b\"}",
            "{\"count\":\"1\"}", "null", "{"}) {
            assertThrows(StrictJson.BadJsonException.class,
                    () -> StrictJson.read(bad.getBytes(StandardCharsets.UTF_8), Body.class), bad);
        }
    }
}
