package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.signature.Signer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private Journal open(List<JournalRecord> replayed) throws Exception {
        return Journal.open(dir, TestKeys.WRITER, ScriptedClock.fromBase(), replayed::add);
    }

    @Test
    void appendedRecordsAreReplayedInOrderOnReopen() throws Exception {
        List<JournalRecord> appended = new ArrayList<>();
        try (Journal journal = open(new ArrayList<>())) {
            assertEquals(0, journal.head().sequence());
            assertArrayEquals(RecordFormat.genesisHash(TestKeys.WRITER.publicKey()), journal.head().hash());
            appended.add(journal.append("key-created", ascii("one")));
            appended.add(journal.append("share-imported", ascii("two")));
            appended.add(journal.append("key-created", new byte[0]));
            assertEquals(new JournalHead(3, appended.get(2).hash()), journal.head());
        }
        List<JournalRecord> replayed = new ArrayList<>();
        try (Journal journal = open(replayed)) {
            assertEquals(3, replayed.size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(appended.get(i).encoded(), replayed.get(i).encoded());
            }
            assertEquals(new OpenReport(0, 0, 3, journal.head()), journal.openReport());
            JournalRecord fourth = journal.append("share-imported", ascii("four"));
            assertEquals(4, fourth.sequence());
            assertArrayEquals(appended.get(2).hash(), fourth.previousHash());
        }
    }

    @Test
    void theClockGivesEachRecordItsTime() throws Exception {
        ScriptedClock clock = new ScriptedClock(ScriptedClock.BASE, 250);
        try (Journal journal = Journal.open(dir, TestKeys.WRITER, clock, ReplayHandler.IGNORE)) {
            assertEquals(ScriptedClock.BASE, journal.append("a", new byte[0]).timeMillis());
            assertEquals(ScriptedClock.BASE + 250, journal.append("a", new byte[0]).timeMillis());
        }
    }

    @Test
    void aTornLastRecordIsCutAndReported() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 3);
        byte[] whole = Files.readAllBytes(file);
        List<Long> offsets = JournalFiles.offsets(file);
        Files.write(file, java.util.Arrays.copyOf(whole, (int) (offsets.get(2) + 20)));
        List<JournalRecord> replayed = new ArrayList<>();
        try (Journal journal = open(replayed)) {
            assertEquals(2, replayed.size());
            assertEquals(20, journal.openReport().tornBytesCut());
            assertEquals(offsets.get(2), Files.size(file));
            assertEquals(3, journal.append("test", ascii("again")).sequence());
        }
        assertEquals(3, JournalVerifier.verify(file, TestKeys.WRITER.publicKey()).recordCount());
    }

    @Test
    void aMissingRecordIsASequenceGapNamingItsSequenceAndOffset() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 4);
        List<Long> offsets = JournalFiles.offsets(file);
        List<byte[]> frames = JournalFiles.frames(file);
        frames.remove(1);
        JournalFiles.write(file, frames);
        byte[] before = Files.readAllBytes(file);
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(new ArrayList<>())).fault();
        assertEquals(new RecordFault(2, offsets.get(1), Defect.SEQUENCE_GAP, "expected sequence 2, found 3"), fault);
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void reorderedRecordsAreRefused() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 4);
        List<byte[]> frames = JournalFiles.frames(file);
        Collections.swap(frames, 1, 2);
        JournalFiles.write(file, frames);
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(new ArrayList<>())).fault();
        assertEquals(2, fault.sequence());
        assertEquals(Defect.SEQUENCE_GAP, fault.defect());
        assertEquals(JournalFiles.offsets(file).get(1), fault.offset());
    }

    @Test
    void anAlteredBodyIsABadSignature() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 3);
        List<Long> offsets = JournalFiles.offsets(file);
        byte[] bytes = Files.readAllBytes(file);
        // a lone append is a batch of one: body, then the seal flag, then the signature
        int lastBodyByte = (int) (offsets.get(2) - 64 - 1 - 1);
        bytes[lastBodyByte] ^= 0x01;
        Files.write(file, bytes);
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(new ArrayList<>())).fault();
        assertEquals(2, fault.sequence());
        assertEquals(offsets.get(1), fault.offset());
        assertEquals(Defect.BAD_SIGNATURE, fault.defect());
    }

    @Test
    void aJournalReSignedWithAnotherKeyIsRefusedAtRecordOne() throws Exception {
        JournalFiles.writeJournal(dir, TestKeys.OTHER, 2);
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(new ArrayList<>())).fault();
        assertEquals(new RecordFault(1, 0, Defect.BAD_SIGNATURE, fault.detail()), fault);
    }

    @Test
    void aRecordSignedByTheWriterButNotLinkedIsAChainBreak() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 1);
        JournalRecord unlinked = RecordFormat.sign(TestKeys.WRITER, 2, ScriptedClock.BASE, new byte[32], "test",
                new byte[0]);
        List<byte[]> frames = JournalFiles.frames(file);
        frames.add(unlinked.encoded());
        JournalFiles.write(file, frames);
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(new ArrayList<>())).fault();
        assertEquals(Defect.CHAIN_BROKEN, fault.defect());
        assertEquals(2, fault.sequence());
    }

    @Test
    void anImpossibleFrameLengthNamesTheRecordWhereItStands() throws Exception {
        Path file = JournalFiles.writeJournal(dir, TestKeys.WRITER, 2);
        long end = Files.size(file);
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1},
                StandardOpenOption.APPEND);
        RecordFault fault = assertThrows(JournalCorruptException.class, () -> open(new ArrayList<>())).fault();
        assertEquals(3, fault.sequence());
        assertEquals(end, fault.offset());
        assertEquals(Defect.IMPOSSIBLE_LENGTH, fault.defect());
    }

    @Test
    void aSignerFailureWritesNothingAndTheJournalGoesOn() throws Exception {
        Signer failing = new Signer() {
            private int calls;

            @Override
            public byte[] publicKey() {
                return TestKeys.WRITER.publicKey();
            }

            @Override
            public byte[] sign(byte[] message) throws KeyEscrowException {
                if (++calls == 2) {
                    throw new KeyEscrowException("token removed");
                }
                return TestKeys.WRITER.sign(message);
            }
        };
        try (Journal journal = Journal.open(dir, failing, ScriptedClock.fromBase(), ReplayHandler.IGNORE)) {
            journal.append("test", ascii("one"));
            long size = Files.size(journal.file());
            assertThrows(KeyEscrowException.class, () -> journal.append("test", ascii("two")));
            assertEquals(size, Files.size(journal.file()));
            assertEquals(2, journal.append("test", ascii("three")).sequence());
        }
        assertEquals(2, JournalVerifier.verify(dir.resolve(Journal.JOURNAL_FILE), TestKeys.WRITER.publicKey())
                .recordCount());
    }

    @Test
    void invalidKindsAndOversizedBodiesAreRefusedBeforeWriting() throws Exception {
        try (Journal journal = open(new ArrayList<>())) {
            assertThrows(IllegalArgumentException.class, () -> journal.append("Bad Kind", new byte[0]));
            assertThrows(IllegalArgumentException.class,
                    () -> journal.append("test", new byte[RecordFormat.MAX_BODY + 1]));
            assertEquals(0, Files.size(journal.file()));
        }
    }
}
