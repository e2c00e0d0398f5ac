package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.SignatureException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A member publishes its head at record 5; another member records it; copies are checked against it. */
class WitnessedHeadTest {
    @TempDir
    Path dir;

    private Path journalFile;
    private SignedHead head;

    @BeforeEach
    void publishHeadAtFiveThenWriteMore() throws Exception {
        try (Journal journal = Journal.open(dir.resolve("node-1"), TestKeys.WRITER, ScriptedClock.fromBase(),
                ReplayHandler.IGNORE)) {
            for (int i = 1; i <= 5; i++) {
                journal.append("test", ("body-" + i).getBytes(StandardCharsets.US_ASCII));
            }
            head = journal.publishHead("node-1");
            journal.append("test", "body-6".getBytes(StandardCharsets.US_ASCII));
            journalFile = journal.file();
        }
    }

    private Path copyWith(List<byte[]> frames) throws Exception {
        Path copy = dir.resolve("copy.log");
        JournalFiles.write(copy, frames);
        return copy;
    }

    @Test
    void aRecordedHeadIsVerifiedStoredAndSurvivesRestart() throws Exception {
        Path witnessFile = dir.resolve("node-2").resolve("heads.log");
        Files.createDirectories(witnessFile.getParent());
        try (WitnessLog witness = WitnessLog.open(witnessFile)) {
            assertThrows(SignatureException.class, () -> witness.record(head, TestKeys.OTHER.publicKey()));
            witness.record(head, TestKeys.WRITER.publicKey());
        }
        try (WitnessLog witness = WitnessLog.open(witnessFile)) {
            assertEquals(1, witness.heads().size());
            SignedHead stored = witness.latest("node-1").orElseThrow();
            assertArrayEquals(head.encoded(), stored.encoded());
            assertEquals(5, stored.sequence());
            assertTrue(witness.latest("node-9").isEmpty());
        }
    }

    @Test
    void theLatestHeadIsTheHighestSequence() throws Exception {
        SignedHead later;
        try (Journal journal = Journal.open(dir.resolve("node-1"), TestKeys.WRITER, ScriptedClock.fromBase(),
                ReplayHandler.IGNORE)) {
            later = journal.publishHead("node-1");
        }
        try (WitnessLog witness = WitnessLog.open(dir.resolve("heads.log"))) {
            witness.record(later, TestKeys.WRITER.publicKey());
            witness.record(head, TestKeys.WRITER.publicKey());
            assertEquals(6, witness.latest("node-1").orElseThrow().sequence());
        }
    }

    @Test
    void twoHeadsWithTheSameSequenceAndDifferentHashesAreReportedAsEquivocation() throws Exception {
        SignedHead other = HeadFormat.sign(TestKeys.WRITER, "node-1", head.sequence(), new byte[32],
                head.timeMillis() + 1);
        SignedHead again = HeadFormat.sign(TestKeys.WRITER, "node-1", head.sequence(), head.headHash(),
                head.timeMillis() + 2);
        try (WitnessLog witness = WitnessLog.open(dir.resolve("heads.log"))) {
            assertTrue(witness.record(head, TestKeys.WRITER.publicKey()).isEmpty());
            assertTrue(witness.record(again, TestKeys.WRITER.publicKey()).isEmpty());
            SignedHead contradicted = witness.record(other, TestKeys.WRITER.publicKey()).orElseThrow();
            assertArrayEquals(head.encoded(), contradicted.encoded());
            assertEquals(3, witness.heads().size());
        }
    }

    @Test
    void theIntactJournalMatchesItsWitnessedHead() throws Exception {
        HeadCheckResult result = HeadCheck.check(journalFile, head);
        assertEquals(HeadStatus.OK, result.status());
        assertEquals(5, result.sequence());
    }

    @Test
    void aDeletedTailIsATruncation() throws Exception {
        List<byte[]> frames = JournalFiles.frames(journalFile);
        Path copy = copyWith(frames.subList(0, 3));
        HeadCheckResult result = HeadCheck.check(copy, head);
        assertEquals(HeadStatus.TRUNCATION, result.status());
        assertEquals(4, result.sequence());
        // the shorter copy is a valid chain on its own: only the witness shows the loss
        assertTrue(JournalVerifier.verify(copy, TestKeys.WRITER.publicKey()).ok());
    }

    @Test
    void reorderedRecordsAreAFork() throws Exception {
        List<byte[]> frames = JournalFiles.frames(journalFile);
        Collections.swap(frames, 1, 2);
        HeadCheckResult result = HeadCheck.check(copyWith(frames), head);
        assertEquals(HeadStatus.FORK, result.status());
        assertEquals(2, result.sequence());
    }

    @Test
    void aCopyReSignedWithAnotherKeyIsAForkAndFailsVerification() throws Exception {
        Path copyDir = dir.resolve("forged");
        try (Journal forged = Journal.open(copyDir, TestKeys.OTHER, ScriptedClock.fromBase(), ReplayHandler.IGNORE)) {
            for (byte[] frame : JournalFiles.frames(journalFile)) {
                JournalRecord original = RecordFormat.decode(frame);
                forged.append(original.kind(), original.body());
            }
        }
        Path copy = copyDir.resolve(Journal.JOURNAL_FILE);
        // same kinds, bodies and times: the forger's chain is valid under the forger's key ...
        assertTrue(JournalVerifier.verify(copy, TestKeys.OTHER.publicKey()).ok());
        // ... but not under the pinned key, and it differs from the witnessed history
        RecordFault fault = JournalVerifier.verify(copy, TestKeys.WRITER.publicKey()).firstFault().orElseThrow();
        assertEquals(1, fault.sequence());
        assertEquals(Defect.BAD_SIGNATURE, fault.defect());
        HeadCheckResult result = HeadCheck.check(copy, head);
        assertEquals(HeadStatus.FORK, result.status());
    }

    @Test
    void anAlteredEarlierRecordIsAForkEvenIfTheHeadRecordIsUntouched() throws Exception {
        List<byte[]> frames = JournalFiles.frames(journalFile);
        byte[] second = frames.get(1);
        second[second.length - 70] ^= 0x01;
        HeadCheckResult result = HeadCheck.check(copyWith(frames), head);
        assertEquals(HeadStatus.FORK, result.status());
        assertEquals(3, result.sequence());
    }

    @Test
    void aWriterThatRewritesItsHistoryForksAtTheRewrittenRecord() throws Exception {
        List<byte[]> frames = JournalFiles.frames(journalFile);
        JournalRecord third = RecordFormat.decode(frames.get(2));
        JournalRecord rewritten = RecordFormat.sign(TestKeys.WRITER, 3, third.timeMillis(), third.previousHash(), "test",
                "rewritten".getBytes(StandardCharsets.US_ASCII));
        List<byte[]> history = new java.util.ArrayList<>(frames.subList(0, 2));
        history.add(rewritten.encoded());
        byte[] previous = rewritten.hash();
        for (long sequence = 4; sequence <= 5; sequence++) {
            JournalRecord next = RecordFormat.sign(TestKeys.WRITER, sequence, third.timeMillis(), previous, "test",
                    new byte[0]);
            history.add(next.encoded());
            previous = next.hash();
        }
        Path copy = copyWith(history);
        assertTrue(JournalVerifier.verify(copy, TestKeys.WRITER.publicKey()).ok());
        HeadCheckResult result = HeadCheck.check(copy, head);
        assertEquals(HeadStatus.FORK, result.status());
        assertEquals(5, result.sequence());
    }

    @Test
    void aStoredHeadThatWasAlteredFailsTheWitnessFileOpen() throws Exception {
        Path witnessFile = dir.resolve("heads.log");
        try (WitnessLog witness = WitnessLog.open(witnessFile)) {
            witness.record(head, TestKeys.WRITER.publicKey());
        }
        byte[] bytes = Files.readAllBytes(witnessFile);
        bytes[4] = 0x07; // version
        Files.write(witnessFile, bytes);
        assertThrows(JournalFormatException.class, () -> WitnessLog.open(witnessFile));
    }
}
