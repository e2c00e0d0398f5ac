package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalVerifierTest {
    @TempDir
    Path dir;

    @Test
    void aGoodJournalReportsItsHeadAndCount() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 7);
        JournalRecord last = RecordFormat.decode(JournalFiles.frames(file).get(6));
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertTrue(report.ok());
        assertEquals(7, report.recordCount());
        assertEquals(new JournalHead(7, last.hash()), report.head());
        assertEquals("OK: 7 records, head " + last.hashHex(), report.summary());
    }

    @Test
    void theFirstBadRecordIsNamedAndTheFileIsNotChanged() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 5);
        List<Long> offsets = JournalFiles.offsets(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) (offsets.get(3) + 30)] ^= 0x10; // record 4's previous hash
        bytes[(int) (offsets.get(4) + 30)] ^= 0x10; // record 5's as well: only the first is reported
        Files.write(file, bytes);
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertFalse(report.ok());
        assertEquals(3, report.recordCount());
        RecordFault fault = report.firstFault().orElseThrow();
        assertEquals(4, fault.sequence());
        assertEquals(offsets.get(3), fault.offset());
        assertEquals(Defect.BAD_SIGNATURE, fault.defect());
        assertTrue(report.summary().startsWith("BAD: record 4 at byte " + offsets.get(3) + ": BAD_SIGNATURE"),
                report.summary());
        assertEquals(bytes.length, Files.size(file));
    }

    @Test
    void aTornTailIsReportedButIsNotAFaultAndIsNotCut() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 2);
        Files.write(file, new byte[] {0, 0, 0, 90, 1, 2}, StandardOpenOption.APPEND);
        long size = Files.size(file);
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertTrue(report.ok());
        assertEquals(2, report.recordCount());
        assertEquals(6, report.tornBytes());
        assertEquals(size, Files.size(file));
    }

    @Test
    void anEmptyJournalIsAnEmptyChain() throws Exception {
        Path file = dir.resolve("journal.log");
        Files.write(file, new byte[0]);
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertTrue(report.ok());
        assertEquals(0, report.recordCount());
    }

    @Test
    void aMissingFileIsAnIoErrorNotAVerdict() {
        assertThrows(NoSuchFileException.class,
                () -> JournalVerifier.verify(dir.resolve("absent.log"), TestKeys.WRITER.publicKey()));
    }
}
