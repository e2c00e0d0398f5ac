package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Journal#appendAll}: one batch per call, in order, durable, never split. */
class JournalAppendAllTest {
    @TempDir
    Path dir;

    private static List<byte[]> bodies(String... texts) {
        List<byte[]> list = new ArrayList<>();
        for (String t : texts) {
            list.add(t.getBytes(StandardCharsets.US_ASCII));
        }
        return list;
    }

    @Test
    void theRecordsOfOneCallAreOneSealedBatchWithOneFsync() throws Exception {
        List<AppendStage> stages = Collections.synchronizedList(new ArrayList<>());
        List<JournalRecord> appended;
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), ReplayHandler.IGNORE,
                (stage, offset) -> stages.add(stage))) {
            journal.append("single", bodies("zero").get(0));
            stages.clear();
            appended = journal.appendAll("event", bodies("one", "two", "three", "four"));
            assertEquals(1, stages.stream().filter(s -> s == AppendStage.AFTER_FSYNC).count(), "fsyncs: " + stages);
            assertEquals(new JournalHead(5, appended.get(3).hash()), journal.head());
        }
        assertEquals(List.of(2L, 3L, 4L, 5L), appended.stream().map(JournalRecord::sequence).toList());
        List<JournalRecord> replayed = new ArrayList<>();
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), replayed::add)) {
            assertEquals(5, replayed.size());
        }
        // the public reading: records 2..4 are chained, record 5 is the batch's one signed seal
        assertTrue(replayed.get(0).sealed());
        for (int i = 1; i < 4; i++) {
            assertFalse(replayed.get(i).sealed(), "record " + replayed.get(i).sequence());
            assertEquals(2, replayed.get(i).version());
        }
        assertTrue(replayed.get(4).sealed());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(appended.get(i).encoded(), replayed.get(i + 1).encoded());
            assertEquals("event", replayed.get(i + 1).kind());
        }
        assertEquals("three", new String(replayed.get(3).body(), StandardCharsets.US_ASCII));
        VerificationReport report = JournalVerifier.verify(dir.resolve(Journal.JOURNAL_FILE),
                TestKeys.WRITER.publicKey());
        assertTrue(report.ok(), report.summary());
        assertEquals(5, report.head().sequence());
    }

    @Test
    void aBadBodyOrAnOversizedCallWritesNothing() throws Exception {
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), ReplayHandler.IGNORE)) {
            List<byte[]> tooMany = new ArrayList<>();
            for (int i = 0; i <= Journal.MAX_BATCH_RECORDS; i++) {
                tooMany.add(new byte[1]);
            }
            assertThrows(IllegalArgumentException.class, () -> journal.appendAll("event", tooMany));
            List<byte[]> withNull = new ArrayList<>(bodies("one"));
            withNull.add(null);
            assertThrows(RuntimeException.class, () -> journal.appendAll("event", withNull));
            assertEquals(List.of(), journal.appendAll("event", List.of()));
            assertEquals(0, journal.head().sequence());
        }
    }

    @Test
    void aGroupIsNeverSplitAcrossBatches() throws Exception {
        List<AppendStage> stages = Collections.synchronizedList(new ArrayList<>());
        List<byte[]> full = new ArrayList<>();
        for (int i = 0; i < Journal.MAX_BATCH_RECORDS; i++) {
            full.add(new byte[] {(byte) i});
        }
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), ReplayHandler.IGNORE,
                (stage, offset) -> stages.add(stage))) {
            List<JournalRecord> records = journal.appendAll("event", full);
            assertEquals(Journal.MAX_BATCH_RECORDS, records.size());
            assertEquals(1, stages.stream().filter(s -> s == AppendStage.AFTER_FSYNC).count());
            assertTrue(records.get(records.size() - 1).sealed());
            assertFalse(records.get(0).sealed());
        }
    }
}
