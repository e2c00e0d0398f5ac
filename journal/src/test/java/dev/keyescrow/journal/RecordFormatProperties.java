package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Round trips of the three formats, and tamper evidence of every byte of a signed record. */
class RecordFormatProperties {
    /** A three-record journal; each property works on a copy. */
    private static Path workspace;
    private static byte[] journalBytes;
    private static List<Long> offsets;
    private static List<Integer> lengths;

    @BeforeContainer
    static void writeSmallJournal() throws Exception {
        workspace = Files.createTempDirectory("journal-properties");
        Path file = JournalFiles.writeJournal(workspace.resolve("original"), TestKeys.WRITER, 3);
        journalBytes = Files.readAllBytes(file);
        offsets = JournalFiles.offsets(file);
        lengths = new ArrayList<>();
        for (byte[] frame : JournalFiles.frames(file)) {
            lengths.add(frame.length);
        }
    }

    @AfterContainer
    static void removeWorkspace() throws IOException {
        try (Stream<Path> paths = Files.walk(workspace)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Provide
    Arbitrary<String> identifiers() {
        Arbitrary<String> first = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofLength(1);
        Arbitrary<String> rest = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
                .ofMinLength(0).ofMaxLength(63);
        return Combinators.combine(first, rest).as(String::concat);
    }

    @Property(tries = 150)
    void recordsRoundTrip(@ForAll @LongRange(min = 1) long sequence, @ForAll @LongRange(min = 0) long time,
            @ForAll("identifiers") String kind, @ForAll @Size(max = 300) byte[] body, @ForAll @Size(32) byte[] previous)
            throws Exception {
        JournalRecord record = RecordFormat.sign(TestKeys.WRITER, sequence, time, previous, kind, body);
        JournalRecord decoded = RecordFormat.decode(record.encoded());
        assertEquals(sequence, decoded.sequence());
        assertEquals(time, decoded.timeMillis());
        assertArrayEquals(previous, decoded.previousHash());
        assertEquals(kind, decoded.kind());
        assertArrayEquals(body, decoded.body());
        assertArrayEquals(record.hash(), decoded.hash());
        assertArrayEquals(record.encoded(), decoded.encoded());
        assertEquals(RecordFormat.FIXED_OVERHEAD + kind.length() + body.length, record.encoded().length);
        RecordFormat.verifySignature(decoded, TestKeys.WRITER.publicKey());
    }

    @Property(tries = 60)
    void checkpointsAndHeadsRoundTrip(@ForAll @LongRange(min = 1) long sequence, @ForAll @LongRange(min = 0) long offset,
            @ForAll @LongRange(min = 0) long time, @ForAll @Size(max = 200) byte[] state,
            @ForAll @Size(32) byte[] hash, @ForAll("identifiers") String journalId) throws Exception {
        Checkpoint checkpoint = CheckpointFormat.sign(TestKeys.WRITER, sequence, offset, hash, time, state);
        Checkpoint decodedCheckpoint = CheckpointFormat.decode(checkpoint.encoded());
        assertEquals(sequence, decodedCheckpoint.sequence());
        assertEquals(offset, decodedCheckpoint.recordOffset());
        assertArrayEquals(hash, decodedCheckpoint.headHash());
        assertArrayEquals(state, decodedCheckpoint.state());
        CheckpointFormat.verifySignature(decodedCheckpoint, TestKeys.WRITER.publicKey());

        SignedHead head = HeadFormat.sign(TestKeys.WRITER, journalId, sequence, hash, time);
        SignedHead decodedHead = HeadFormat.decode(head.encoded());
        assertEquals(journalId, decodedHead.journalId());
        assertEquals(new JournalHead(sequence, hash), decodedHead.head());
        assertEquals(time, decodedHead.timeMillis());
        HeadFormat.verify(decodedHead, TestKeys.WRITER.publicKey());
    }

    @Property(tries = 200)
    void anyChangeToAnyByteOfASignedRecordIsNamedByTheVerifier(@ForAll @IntRange(min = 0, max = 2) int record,
            @ForAll @IntRange(min = 0, max = 1000) int where, @ForAll @IntRange(min = 1, max = 255) int mask)
            throws Exception {
        int position = (int) (offsets.get(record) + AppendOnlyLog.HEADER + where % lengths.get(record));
        assertNamed(record, tampered(position, mask));
    }

    /** Exhaustive: each byte of each record flipped (all bits), the verifier and the open both refuse it. */
    @Example
    void flippingEachByteOfEachRecordIsRefusedByVerifyAndOpen() throws Exception {
        int checked = 0;
        for (int record = 0; record < 3; record++) {
            long start = offsets.get(record) + AppendOnlyLog.HEADER;
            for (int position = (int) start; position < start + lengths.get(record); position++) {
                Path file = tampered(position, 0xff);
                assertNamed(record, file);
                int expectedRecord = record;
                RecordFault fault = assertThrows(JournalCorruptException.class, () -> Journal.open(file.getParent(),
                        TestKeys.WRITER, ScriptedClock.fromBase(), ReplayHandler.IGNORE).close()).fault();
                assertEquals(expectedRecord + 1, fault.sequence(), "byte " + position);
                assertEquals(offsets.get(expectedRecord), fault.offset(), "byte " + position);
                checked++;
            }
        }
        assertEquals(journalBytes.length - 3 * AppendOnlyLog.HEADER, checked);
    }

    /** Exhaustive: each byte of a checkpoint flipped, the journal refuses to open. */
    @Example
    void flippingEachByteOfTheCheckpointIsRefused() throws Exception {
        Path directory = workspace.resolve("checkpointed");
        Files.createDirectories(directory);
        Files.write(directory.resolve(Journal.JOURNAL_FILE), journalBytes);
        byte[] checkpoint;
        try (Journal journal = Journal.open(directory, TestKeys.WRITER, ScriptedClock.fromBase(),
                ReplayHandler.IGNORE)) {
            checkpoint = journal.checkpoint("state".getBytes(StandardCharsets.US_ASCII)).encoded();
        }
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < checkpoint.length; i++) {
            byte[] changed = checkpoint.clone();
            changed[i] ^= (byte) 0xff;
            Files.write(directory.resolve(Journal.CHECKPOINT_FILE), changed);
            try (Journal journal = Journal.open(directory, TestKeys.WRITER, ScriptedClock.fromBase(),
                    ReplayHandler.IGNORE)) {
                accepted.add(i);
            } catch (JournalCorruptException expected) {
                // refused
            }
        }
        assertEquals(List.of(), accepted);
    }

    private static void assertNamed(int record, Path file) throws IOException {
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        RecordFault fault = report.firstFault().orElseThrow(() -> new AssertionError("change not detected"));
        assertEquals(record + 1, fault.sequence());
        assertEquals(offsets.get(record), fault.offset());
        assertEquals(record, report.recordCount());
    }

    private static Path tampered(int position, int mask) throws IOException {
        byte[] bytes = journalBytes.clone();
        bytes[position] ^= (byte) mask;
        Path directory = workspace.resolve("tampered");
        Files.createDirectories(directory);
        Files.deleteIfExists(directory.resolve(Journal.CHECKPOINT_FILE));
        Path file = directory.resolve(Journal.JOURNAL_FILE);
        Files.write(file, bytes);
        return file;
    }
}
