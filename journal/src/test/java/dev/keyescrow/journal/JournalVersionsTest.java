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
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Version 1 (every record signed) and version 2 (group commit: one signed seal per batch) in one
 * journal, and what a reader does with a batch whose seal is missing, altered or forged. The
 * version-1 records are the spec's vectors, so a journal written before group commit is what
 * the new writer continues.
 */
class JournalVersionsTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    /** The spec's two version-1 records as a journal file, as a member wrote it before group commit. */
    private Path versionOneJournal() throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve(Journal.JOURNAL_FILE);
        JournalFiles.write(file, List.of(HEX.parseHex(JournalVectorsTest.RECORD_1),
                HEX.parseHex(JournalVectorsTest.RECORD_2)));
        return file;
    }

    @Test
    void aVersionOneJournalContinuesInVersionTwoAndVerifiesWithBoth() throws Exception {
        Path file = versionOneJournal();
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), ReplayHandler.IGNORE)) {
            assertEquals(2, journal.head().sequence());
            JournalRecord third = journal.append("test", bytes("three"));
            assertEquals(RecordFormat.VERSION_BATCHED, third.version());
            assertArrayEquals(HEX.parseHex(JournalVectorsTest.RECORD_2_HASH), third.previousHash());
        }
        // a batch of two written as the writer writes it: chained record 4, seal 5
        appendBatch(file, 4, "four", "five");
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertTrue(report.ok(), report.summary());
        assertEquals(5, report.recordCount());
        assertEquals(0, report.tornBytes());

        List<JournalRecord> replayed = new ArrayList<>();
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), replayed::add)) {
            assertEquals(5, journal.head().sequence());
        }
        assertEquals(List.of(1, 1, 2, 2, 2), replayed.stream().map(JournalRecord::version).toList());
        assertEquals(List.of(true, true, true, false, true), replayed.stream().map(JournalRecord::sealed).toList());
    }

    @Test
    void aBatchWithoutItsSealIsCutAtOpenAndNotReplayed() throws Exception {
        Path file = versionOneJournal();
        long sizeBefore = Files.size(file);
        JournalRecord chained = RecordFormat.batched(null, 3, ScriptedClock.BASE,
                HEX.parseHex(JournalVectorsTest.RECORD_2_HASH), "test", bytes("never sealed"));
        List<byte[]> frames = new ArrayList<>(JournalFiles.frames(file));
        frames.add(chained.encoded());
        JournalFiles.write(file, frames);

        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertTrue(report.ok(), report.summary());
        assertEquals(2, report.recordCount(), "an unsealed record is not a verified record");
        assertEquals(4 + chained.encoded().length, report.tornBytes());

        List<JournalRecord> replayed = new ArrayList<>();
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), replayed::add)) {
            assertEquals(2, journal.head().sequence());
            assertEquals(4 + chained.encoded().length, journal.openReport().tornBytesCut());
            assertEquals(2, replayed.size(), "the unsealed record never reached the server's state");
        }
        assertEquals(sizeBefore, Files.size(file), "the unfinished batch was cut");
    }

    @Test
    void anAlteredChainedRecordBreaksTheChainAtItsSeal() throws Exception {
        Path file = versionOneJournal();
        appendBatch(file, 3, "three", "four");
        List<byte[]> frames = new ArrayList<>(JournalFiles.frames(file));
        byte[] third = frames.get(2);
        assertFalse(RecordFormat.decode(third).sealed());
        third[third.length - 2] ^= 1; // a byte of the body; the record still parses
        JournalFiles.write(file, frames);

        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertFalse(report.ok());
        assertEquals(Defect.CHAIN_BROKEN, report.firstFault().orElseThrow().defect());
        assertEquals(4, report.firstFault().orElseThrow().sequence());
        assertEquals(2, report.recordCount(), "the altered batch counts for nothing");
        assertThrows(JournalCorruptException.class,
                () -> Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), ReplayHandler.IGNORE));
    }

    @Test
    void aSealSignedByAnotherKeyIsRefused() throws Exception {
        Path file = versionOneJournal();
        List<byte[]> frames = new ArrayList<>(JournalFiles.frames(file));
        JournalRecord chained = RecordFormat.batched(null, 3, ScriptedClock.BASE,
                HEX.parseHex(JournalVectorsTest.RECORD_2_HASH), "test", bytes("forged"));
        JournalRecord seal = RecordFormat.batched(TestKeys.OTHER, 4, ScriptedClock.BASE, chained.hash(), "test",
                bytes("forged seal"));
        frames.add(chained.encoded());
        frames.add(seal.encoded());
        JournalFiles.write(file, frames);

        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertEquals(Defect.BAD_SIGNATURE, report.firstFault().orElseThrow().defect());
        assertEquals(2, report.recordCount());
    }

    @Test
    void aRunOfChainedRecordsLongerThanAnyBatchIsMalformed() throws Exception {
        Path file = versionOneJournal();
        List<byte[]> frames = new ArrayList<>(JournalFiles.frames(file));
        byte[] previous = HEX.parseHex(JournalVectorsTest.RECORD_2_HASH);
        for (int i = 0; i <= ChainCursor.MAX_UNSEALED_RUN; i++) {
            JournalRecord chained = RecordFormat.batched(null, 3 + i, ScriptedClock.BASE, previous, "test",
                    new byte[0]);
            frames.add(chained.encoded());
            previous = chained.hash();
        }
        JournalFiles.write(file, frames);
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertEquals(Defect.MALFORMED, report.firstFault().orElseThrow().defect());
        assertEquals(3L + ChainCursor.MAX_UNSEALED_RUN, report.firstFault().orElseThrow().sequence());
    }

    @Test
    void theSealFlagAndSignaturePresenceAgree() throws Exception {
        JournalRecord seal = RecordFormat.batched(TestKeys.WRITER, 1, ScriptedClock.BASE,
                RecordFormat.genesisHash(TestKeys.WRITER.publicKey()), "test", bytes("x"));
        byte[] encoded = seal.encoded();
        int flag = encoded.length - 65;
        assertEquals(1, encoded[flag]);
        byte[] flagCleared = encoded.clone();
        flagCleared[flag] = 0; // says chained, but a signature follows: trailing bytes
        assertThrows(JournalFormatException.class, () -> RecordFormat.decode(flagCleared));
        byte[] flagTwo = encoded.clone();
        flagTwo[flag] = 2;
        assertThrows(JournalFormatException.class, () -> RecordFormat.decode(flagTwo));
        byte[] sealWithoutSignature = java.util.Arrays.copyOf(encoded, flag + 1);
        assertThrows(JournalFormatException.class, () -> RecordFormat.decode(sealWithoutSignature));
        RecordFormat.verifySignature(RecordFormat.decode(encoded), TestKeys.WRITER.publicKey());
    }

    /** Appends records {@code first...} as one batch, exactly as the journal's writer frames them. */
    private static void appendBatch(Path file, long first, String... bodies) throws Exception {
        List<byte[]> frames = new ArrayList<>(JournalFiles.frames(file));
        byte[] previous = RecordFormat.decode(frames.get(frames.size() - 1)).hash();
        for (int i = 0; i < bodies.length; i++) {
            JournalRecord record = RecordFormat.batched(i == bodies.length - 1 ? TestKeys.WRITER : null, first + i,
                    ScriptedClock.BASE, previous, "test", bytes(bodies[i]));
            frames.add(record.encoded());
            previous = record.hash();
        }
        JournalFiles.write(file, frames);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
