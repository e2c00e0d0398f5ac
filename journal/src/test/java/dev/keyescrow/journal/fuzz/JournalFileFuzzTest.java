package dev.keyescrow.journal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.JournalFormatException;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalCorruptException;
import dev.keyescrow.journal.JournalVerifier;
import dev.keyescrow.journal.ReplayHandler;
import dev.keyescrow.journal.WitnessLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's files as a reader of a backup or a tamperer leaves them: opening a journal
 * (or verifying it offline) over arbitrary bytes, opening it with an arbitrary checkpoint
 * beside a valid journal, and opening a witness log. Each either works or is refused with
 * {@link JournalCorruptException} / {@link JournalFormatException}; the verifier always reports.
 */
class JournalFileFuzzTest {
    /** The spec's writer key (scalar 01 02 … 20), which signed the two-record vector journal. */
    private static final SoftwareP256Signer WRITER;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    private static final byte[] VECTOR_JOURNAL;

    static {
        byte[] scalar = new byte[32];
        for (int i = 0; i < 32; i++) {
            scalar[i] = (byte) (1 + i);
        }
        WRITER = SoftwareP256Signer.fromPrivateKey(SecretBytes.moveFrom(scalar));
        try (InputStream in = JournalFileFuzzTest.class.getResourceAsStream("vector-journal.log")) {
            VECTOR_JOURNAL = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TempDir
    static Path scratch;

    private static Path freshDirectory() throws IOException {
        Path dir = scratch.resolve("j");
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    @FuzzTest
    void open(byte[] input) throws IOException {
        Path dir = freshDirectory();
        Files.write(dir.resolve(Journal.JOURNAL_FILE), input);
        try (Journal journal = Journal.open(dir, WRITER, CLOCK, ReplayHandler.IGNORE)) {
            journal.head();
        } catch (JournalCorruptException refused) {
            // a documented refusal: the server stops with this message
        }
    }

    @FuzzTest
    void verify(byte[] input) throws IOException {
        Path dir = freshDirectory();
        Path file = Files.write(dir.resolve(Journal.JOURNAL_FILE), input);
        JournalVerifier.verify(file, WRITER.publicKey());
    }

    @FuzzTest
    void checkpoint(byte[] input) throws IOException {
        Path dir = freshDirectory();
        Files.write(dir.resolve(Journal.JOURNAL_FILE), VECTOR_JOURNAL);
        Files.write(dir.resolve(Journal.CHECKPOINT_FILE), input);
        try (Journal journal = Journal.open(dir, WRITER, CLOCK, ReplayHandler.IGNORE)) {
            journal.head();
        } catch (JournalCorruptException refused) {
            // a documented refusal
        }
    }

    @FuzzTest
    void witnessLog(byte[] input) throws IOException {
        Path dir = freshDirectory();
        Path file = Files.write(dir.resolve("witness.log"), input);
        try (WitnessLog log = WitnessLog.open(file)) {
            log.getClass();
        } catch (JournalFormatException refused) {
            // a documented refusal
        }
    }
}
