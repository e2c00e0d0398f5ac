package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendOnlyLogTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendedFramesSurviveReopen() throws IOException {
        Path file = dir.resolve("journal.log");
        try (AppendOnlyLog log = AppendOnlyLog.open(file)) {
            log.append(utf8("first"));
            log.append(new byte[0]);
            log.append(utf8("third"));
        }
        try (AppendOnlyLog log = AppendOnlyLog.open(file)) {
            List<byte[]> frames = log.frames();
            assertEquals(3, frames.size());
            assertArrayEquals(utf8("first"), frames.get(0));
            assertArrayEquals(new byte[0], frames.get(1));
            assertArrayEquals(utf8("third"), frames.get(2));
            assertEquals(0, log.tornBytesCut());
        }
    }

    @Test
    void aTornLastFrameIsCutAndReportedAndAppendingContinues() throws IOException {
        Path file = dir.resolve("journal.log");
        try (AppendOnlyLog log = AppendOnlyLog.open(file)) {
            log.append(utf8("kept"));
        }
        // a crash mid-write: the header promises 100 bytes, only 3 arrived
        Files.write(file, ByteBuffer.allocate(7).putInt(100).put(utf8("abc")).array(), StandardOpenOption.APPEND);
        try (AppendOnlyLog log = AppendOnlyLog.open(file)) {
            assertEquals(7, log.tornBytesCut());
            assertEquals(1, log.frames().size());
            log.append(utf8("after"));
        }
        try (AppendOnlyLog log = AppendOnlyLog.open(file)) {
            assertEquals(2, log.frames().size());
            assertArrayEquals(utf8("after"), log.frames().get(1));
            assertEquals(4 + 4 + 4 + 5, Files.size(file));
        }
    }

    @Test
    void anImpossibleLengthIsAnErrorNotATornTail() throws IOException {
        Path file = dir.resolve("journal.log");
        Files.write(file, ByteBuffer.allocate(8).putInt(-5).putInt(0).array());
        IOException e = assertThrows(IOException.class, () -> AppendOnlyLog.open(file));
        assertEquals("journal journal.log: frame at byte 0 has impossible length -5", e.getMessage());
    }
}
