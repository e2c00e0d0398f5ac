package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails half-way (a full disk: half of the batch's bytes reached the file, then
 * the device refused the rest) is not acknowledged, and once the device takes writes again the
 * journal takes appends again, without being reopened: the next append first cuts the failed
 * batch's bytes back to the last durable record. A member whose disk filled for a moment must
 * not stay unable to journal anything until someone restarts it.
 */
class JournalWriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void afterAWriteFailedHalfWayTheNextAppendCutsItsBytesAndIsDurable() throws Exception {
        AtomicReference<AppendStage> failAt = new AtomicReference<>();
        AppendHook full = (stage, offset) -> {
            if (stage == failAt.get()) {
                throw new UncheckedIOException(new IOException("No space left on device"));
            }
        };
        long endBeforeFailure;
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), ReplayHandler.IGNORE,
                full)) {
            journal.append("event", bytes("before"));
            endBeforeFailure = Files.size(dir.resolve(Journal.JOURNAL_FILE));
            failAt.set(AppendStage.MID_WRITE);
            assertThrows(UncheckedIOException.class, () -> journal.append("event", bytes("never acknowledged")));
            assertEquals(true, Files.size(dir.resolve(Journal.JOURNAL_FILE)) > endBeforeFailure,
                    "half of the failed batch reached the file");
            failAt.set(null);

            JournalRecord after = journal.append("event", bytes("after the space came back"));
            assertEquals(2, after.sequence(), "the failed record took no sequence number");
            assertEquals(2, journal.head().sequence());
        }

        List<JournalRecord> replayed = new ArrayList<>();
        try (Journal reopened = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), replayed::add)) {
            assertEquals(0, reopened.openReport().tornBytesCut(), "nothing torn was left for the open to cut");
            assertEquals(2, replayed.size());
            assertArrayEquals(bytes("before"), replayed.get(0).body());
            assertArrayEquals(bytes("after the space came back"), replayed.get(1).body());
        }
    }

    @Test
    void aFailedFsyncIsCutTooAndAStillFullDiskKeepsRefusing() throws Exception {
        AtomicReference<AppendStage> failAt = new AtomicReference<>();
        AppendHook hook = (stage, offset) -> {
            if (stage == failAt.get()) {
                throw new UncheckedIOException(new IOException("Input/output error"));
            }
        };
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), ReplayHandler.IGNORE,
                hook)) {
            journal.append("event", bytes("one"));
            failAt.set(AppendStage.AFTER_WRITE); // the whole batch written, its fsync never done
            assertThrows(UncheckedIOException.class, () -> journal.append("event", bytes("lost with the fsync")));
            failAt.set(AppendStage.BEFORE_WRITE); // still failing: refused again, nothing acknowledged
            assertThrows(UncheckedIOException.class, () -> journal.append("event", bytes("refused")));
            failAt.set(null);
            assertEquals(2, journal.append("event", bytes("two")).sequence());
        }
        List<JournalRecord> replayed = new ArrayList<>();
        try (Journal reopened = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), replayed::add)) {
            assertEquals(0, reopened.openReport().tornBytesCut());
            assertEquals(List.of("one", "two"), replayed.stream()
                    .map(r -> new String(r.body(), StandardCharsets.UTF_8)).toList());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
