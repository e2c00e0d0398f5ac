package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    /** Collects what a journal replays on open. */
    private static final class Collector implements ReplayHandler {
        final List<Checkpoint> checkpoints = new ArrayList<>();
        final List<Long> sequences = new ArrayList<>();

        @Override
        public void checkpoint(Checkpoint checkpoint) {
            checkpoints.add(checkpoint);
        }

        @Override
        public void record(JournalRecord record) {
            sequences.add(record.sequence());
        }
    }

    private Journal open(ReplayHandler handler) throws Exception {
        return Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), handler);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Five records, a checkpoint after the fourth, then two more. */
    private Checkpoint journalWithCheckpointAtFour() throws Exception {
        try (Journal journal = open(ReplayHandler.IGNORE)) {
            for (int i = 1; i <= 4; i++) {
                journal.append("test", ascii("r" + i));
            }
            Checkpoint checkpoint = journal.checkpoint(ascii("state after 4"));
            journal.append("test", ascii("r5"));
            journal.append("test", ascii("r6"));
            return checkpoint;
        }
    }

    @Test
    void openReplaysOnlyTheRecordsAfterTheCheckpoint() throws Exception {
        Checkpoint written = journalWithCheckpointAtFour();
        Collector collector = new Collector();
        try (Journal journal = open(collector)) {
            assertEquals(1, collector.checkpoints.size());
            assertArrayEquals(written.encoded(), collector.checkpoints.get(0).encoded());
            assertEquals("state after 4", new String(collector.checkpoints.get(0).state(), StandardCharsets.US_ASCII));
            assertEquals(List.of(5L, 6L), collector.sequences);
            assertEquals(4, journal.openReport().checkpointSequence());
            assertEquals(2, journal.openReport().replayedRecords());
            assertEquals(6, journal.head().sequence());
            assertEquals(7, journal.append("test", ascii("r7")).sequence());
        }
    }

    @Test
    void recordsBeforeTheCheckpointAreNotReadButTheAuditStillReadsThem() throws Exception {
        journalWithCheckpointAtFour();
        Path file = dir.resolve(Journal.JOURNAL_FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[60] ^= 0x01; // inside record 1, which the checkpoint vouches for
        Files.write(file, bytes);
        try (Journal journal = open(ReplayHandler.IGNORE)) {
            assertEquals(6, journal.head().sequence());
        }
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertFalse(report.ok());
        assertEquals(1, report.firstFault().orElseThrow().sequence());
    }

    @Test
    void aJournalTruncatedBelowTheCheckpointIsRefusedAndLeftAsFound() throws Exception {
        Checkpoint checkpoint = journalWithCheckpointAtFour();
        Path file = dir.resolve(Journal.JOURNAL_FILE);
        byte[] truncated = Arrays.copyOf(Files.readAllBytes(file), (int) checkpoint.recordOffset() + 10);
        Files.write(file, truncated);
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(ReplayHandler.IGNORE)).fault();
        assertEquals(Defect.CHECKPOINT_MISMATCH, fault.defect());
        assertEquals(4, fault.sequence());
        assertEquals(checkpoint.recordOffset(), fault.offset());
        assertArrayEquals(truncated, Files.readAllBytes(file));
    }

    @Test
    void aJournalEndingBeforeTheCheckpointOffsetIsRefused() throws Exception {
        Checkpoint checkpoint = journalWithCheckpointAtFour();
        Path file = dir.resolve(Journal.JOURNAL_FILE);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) checkpoint.recordOffset()));
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(ReplayHandler.IGNORE)).fault();
        assertEquals(Defect.CHECKPOINT_MISMATCH, fault.defect());
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsRefused() throws Exception {
        Checkpoint mine = journalWithCheckpointAtFour();
        Checkpoint forged = CheckpointFormat.sign(TestKeys.OTHER, mine.sequence(), mine.recordOffset(),
                mine.headHash(), mine.timeMillis(), ascii("forged state"));
        Files.write(dir.resolve(Journal.CHECKPOINT_FILE), forged.encoded());
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(ReplayHandler.IGNORE)).fault();
        assertEquals(Defect.CHECKPOINT_INVALID, fault.defect());
    }

    @Test
    void aCheckpointWhoseHeadIsNotTheRecordAtItsOffsetIsRefused() throws Exception {
        Checkpoint mine = journalWithCheckpointAtFour();
        Checkpoint wrong = CheckpointFormat.sign(TestKeys.WRITER, mine.sequence(), mine.recordOffset(),
                new byte[32], mine.timeMillis(), mine.state());
        Files.write(dir.resolve(Journal.CHECKPOINT_FILE), wrong.encoded());
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(ReplayHandler.IGNORE)).fault();
        assertEquals(Defect.CHECKPOINT_MISMATCH, fault.defect());
    }

    @Test
    void aCorruptCheckpointFileIsRefused() throws Exception {
        journalWithCheckpointAtFour();
        Path path = dir.resolve(Journal.CHECKPOINT_FILE);
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, Arrays.copyOf(bytes, bytes.length - 1));
        assertEquals(Defect.CHECKPOINT_INVALID,
                assertThrows(JournalCorruptException.class, () -> open(ReplayHandler.IGNORE)).fault().defect());
    }

    @Test
    void anAlteredRecordAfterTheCheckpointIsStillFound() throws Exception {
        journalWithCheckpointAtFour();
        Path file = dir.resolve(Journal.JOURNAL_FILE);
        List<Long> offsets = JournalFiles.offsets(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) (offsets.get(5) - 70)] ^= 0x40; // a byte of record 5's body or signature
        Files.write(file, bytes);
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(ReplayHandler.IGNORE)).fault();
        assertEquals(5, fault.sequence());
        assertEquals(offsets.get(4), fault.offset());
    }

    @Test
    void aLeftoverTemporaryCheckpointIsRemovedAndIgnored() throws Exception {
        journalWithCheckpointAtFour();
        Path temporary = dir.resolve(Journal.CHECKPOINT_FILE + ".tmp");
        Files.write(temporary, ascii("half-written"));
        try (Journal journal = open(ReplayHandler.IGNORE)) {
            assertEquals(4, journal.openReport().checkpointSequence());
        }
        assertFalse(Files.exists(temporary));
    }

    @Test
    void aNewCheckpointReplacesTheOldOne() throws Exception {
        journalWithCheckpointAtFour();
        try (Journal journal = open(ReplayHandler.IGNORE)) {
            journal.checkpoint(ascii("state after 6"));
        }
        Collector collector = new Collector();
        try (Journal journal = open(collector)) {
            assertEquals(6, journal.openReport().checkpointSequence());
            assertTrue(collector.sequences.isEmpty());
        }
    }

    @Test
    void anEmptyJournalHasNothingToCheckpoint() throws Exception {
        try (Journal journal = open(ReplayHandler.IGNORE)) {
            assertThrows(IllegalStateException.class, () -> journal.checkpoint(new byte[0]));
            assertFalse(Files.exists(dir.resolve(Journal.CHECKPOINT_FILE)));
        }
    }
}
