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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendOnlyLogTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static AppendOnlyLog open(Path file, List<byte[]> into) throws IOException {
        return AppendOnlyLog.open(file, (offset, frame) -> into.add(frame));
    }

    @Test
    void appendedFramesSurviveReopenWithTheirOffsets() throws IOException {
        Path file = dir.resolve("journal.log");
        List<Long> offsets = new ArrayList<>();
        try (AppendOnlyLog log = open(file, new ArrayList<>())) {
            offsets.add(log.append(utf8("first")));
            offsets.add(log.append(utf8("x")));
            offsets.add(log.append(utf8("third")));
            assertEquals(List.of(0L, 9L, 14L), offsets);
            assertArrayEquals(utf8("x"), log.readFrame(9));
        }
        List<byte[]> frames = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        try (AppendOnlyLog log = AppendOnlyLog.open(file, (offset, frame) -> {
            frames.add(frame);
            seen.add(offset);
        })) {
            assertEquals(3, frames.size());
            assertArrayEquals(utf8("first"), frames.get(0));
            assertArrayEquals(utf8("x"), frames.get(1));
            assertArrayEquals(utf8("third"), frames.get(2));
            assertEquals(offsets, seen);
            assertEquals(0, log.tornBytes());
            assertEquals(23, log.end());
        }
    }

    @Test
    void openingFromAnOffsetSkipsTheFramesBeforeIt() throws IOException {
        Path file = dir.resolve("journal.log");
        try (AppendOnlyLog log = open(file, new ArrayList<>())) {
            log.append(utf8("skipped"));
            log.append(utf8("read"));
        }
        List<byte[]> frames = new ArrayList<>();
        try (AppendOnlyLog log = AppendOnlyLog.open(file, 11, (offset, frame) -> frames.add(frame))) {
            assertEquals(1, frames.size());
            assertArrayEquals(utf8("read"), frames.get(0));
        }
    }

    @Test
    void aTornLastFrameIsReportedThenCutAndAppendingContinues() throws IOException {
        Path file = dir.resolve("journal.log");
        try (AppendOnlyLog log = open(file, new ArrayList<>())) {
            log.append(utf8("kept"));
        }
        // a crash mid-write: the header promises 100 bytes, only 3 arrived
        Files.write(file, ByteBuffer.allocate(7).putInt(100).put(utf8("abc")).array(), StandardOpenOption.APPEND);
        List<byte[]> frames = new ArrayList<>();
        try (AppendOnlyLog log = open(file, frames)) {
            assertEquals(7, log.tornBytes());
            assertEquals(1, frames.size());
            // nothing is cut until the owner has checked the complete frames
            assertEquals(15, Files.size(file));
            assertThrows(IllegalStateException.class, () -> log.append(utf8("too early")));
            log.cutTornTail();
            assertEquals(8, Files.size(file));
            log.append(utf8("after"));
        }
        List<byte[]> again = new ArrayList<>();
        try (AppendOnlyLog log = open(file, again)) {
            assertEquals(2, again.size());
            assertArrayEquals(utf8("after"), again.get(1));
            assertEquals(4 + 4 + 4 + 5, Files.size(file));
        }
    }

    @Test
    void aTornHeaderIsATornTail() throws IOException {
        Path file = dir.resolve("journal.log");
        Files.write(file, new byte[] {0, 0, 1});
        try (AppendOnlyLog log = open(file, new ArrayList<>())) {
            assertEquals(3, log.tornBytes());
            assertEquals(0, log.end());
        }
    }

    @Test
    void aZeroFilledTailIsATornTail() throws IOException {
        Path file = dir.resolve("journal.log");
        try (AppendOnlyLog log = open(file, new ArrayList<>())) {
            log.append(utf8("kept"));
        }
        Files.write(file, new byte[4096], StandardOpenOption.APPEND);
        List<byte[]> frames = new ArrayList<>();
        try (AppendOnlyLog log = open(file, frames)) {
            assertEquals(1, frames.size());
            assertEquals(4096, log.tornBytes());
        }
    }

    @Test
    void anImpossibleLengthIsAnErrorNotATornTail() throws IOException {
        Path file = dir.resolve("journal.log");
        Files.write(file, ByteBuffer.allocate(8).putInt(-5).putInt(0).array());
        ImpossibleFrameLengthException e = assertThrows(ImpossibleFrameLengthException.class,
                () -> open(file, new ArrayList<>()));
        assertEquals("journal journal.log: frame at byte 0 has impossible length 4294967291", e.getMessage());
        assertEquals(0, e.offset());
        assertEquals(8, Files.size(file));
    }

    @Test
    void aZeroLengthFollowedByDataIsAnError() throws IOException {
        Path file = dir.resolve("journal.log");
        Files.write(file, new byte[] {0, 0, 0, 0, 7});
        assertThrows(ImpossibleFrameLengthException.class, () -> open(file, new ArrayList<>()));
    }

    @Test
    void emptyAndOversizedFramesAreRefused() throws IOException {
        try (AppendOnlyLog log = open(dir.resolve("journal.log"), new ArrayList<>())) {
            assertThrows(IllegalArgumentException.class, () -> log.append(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> log.append(new byte[AppendOnlyLog.MAX_FRAME + 1]));
            assertEquals(0, log.end());
        }
    }

    @Test
    void aVisitorFailureLeavesTheFileAsFound() throws IOException {
        Path file = dir.resolve("journal.log");
        try (AppendOnlyLog log = open(file, new ArrayList<>())) {
            log.append(utf8("bad"));
        }
        Files.write(file, new byte[] {0, 0}, StandardOpenOption.APPEND);
        assertThrows(JournalFormatException.class, () -> AppendOnlyLog.open(file, (offset, frame) -> {
            throw new JournalFormatException("refused");
        }));
        assertEquals(9, Files.size(file));
    }
}
