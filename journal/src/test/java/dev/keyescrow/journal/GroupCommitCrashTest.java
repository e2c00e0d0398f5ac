package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a process whose 8 threads append at once, so that batches of several records are
 * being written, signed and fsynced when it dies. After each kill the journal must verify, and
 * every acknowledged record must be in it with the sequence its writer was given; the next
 * child opens what the last one left (cutting any unsealed batch), and appends on. About 15
 * child JVMs; the whole test should stay well under a minute.
 */
class GroupCommitCrashTest {
    private static final int KILLS = 15;
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordOfConcurrentBatchesSurvivesSigkill() throws Exception {
        Path journalDir = dir.resolve("journal");
        Random random = new Random(18);
        Map<String, Long> acknowledged = new HashMap<>();
        long batchedRecords = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            CrashChildProcess child = CrashChildProcess.start(journalDir, "concurrent", Integer.toString(WRITERS));
            child.awaitLineStartingWith("OPEN ");
            Thread.sleep(50 + random.nextInt(250));
            child.kill();
            for (String line : child.lines()) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    acknowledged.put(parts[2], Long.parseLong(parts[1]));
                } else if (!line.startsWith("OPEN ")) {
                    fail("unexpected line from the child: " + line);
                }
            }
            batchedRecords += checkAfterKill(journalDir, acknowledged);
        }
        try (Journal journal = Journal.open(journalDir, TestKeys.WRITER, ScriptedClock.fromBase(),
                ReplayHandler.IGNORE)) {
            VerificationReport report = JournalVerifier.verify(journal.file(), TestKeys.WRITER.publicKey());
            assertEquals(0, report.tornBytes(), "open left no unfinished batch");
            assertEquals(report.recordCount(), journal.head().sequence());
        }
        assertTrue(acknowledged.size() > KILLS, "the writers got records through: " + acknowledged.size());
        assertTrue(batchedRecords > 0, "some kills found chained records, so batches of several were written");
    }

    /** Returns how many chained (not sealed) records the verified journal holds. */
    private static long checkAfterKill(Path journalDir, Map<String, Long> acknowledged) throws Exception {
        Path file = journalDir.resolve(Journal.JOURNAL_FILE);
        VerificationReport report = JournalVerifier.verify(file, TestKeys.WRITER.publicKey());
        assertTrue(report.ok(), report.summary());
        Map<String, Long> present = new HashMap<>();
        long[] chained = {0};
        AppendOnlyLog.read(file, 0, (offset, frame) -> {
            JournalRecord record;
            try {
                record = RecordFormat.decode(frame);
            } catch (JournalFormatException e) {
                throw new AssertionError(e);
            }
            if (record.sequence() <= report.recordCount()) {
                present.put(new String(record.body(), StandardCharsets.US_ASCII), record.sequence());
                if (!record.sealed()) {
                    chained[0]++;
                }
            }
        });
        for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
            assertEquals(ack.getValue(), present.get(ack.getKey()), "acknowledged record " + ack.getKey());
        }
        return chained[0];
    }
}
