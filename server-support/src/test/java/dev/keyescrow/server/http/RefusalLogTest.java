package dev.keyescrow.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusalLogTest {
    @TempDir
    Path dir;

    @Test
    void theLogAndItsRotatedFileArePrivate() throws Exception {
        Path file = dir.resolve("refusals.log");
        RefusalLog log = new RefusalLog(file, 200, Clock.systemUTC());
        for (int i = 0; i < 10; i++) {
            log.record("POST", "/v1/keys", 400, "refusal " + i);
        }
        Path rotated = dir.resolve("refusals.log.1");
        assertTrue(Files.exists(rotated), "the log rotated");
        assertTrue(Files.size(file) <= 200);
        for (Path p : new Path[] {file, rotated}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        assertTrue(Files.readString(file).contains("POST /v1/keys 400 refusal 9"));
    }
}
