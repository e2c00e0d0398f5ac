package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL ({@link Process#destroyForcibly()} on Linux) at each
 * named stage of an append and at random moments, all on one journal, and checks after each
 * kill that every acknowledged record is there, intact, and that nothing unacknowledged is
 * half-present. The aftermath of each kill is opened by the next child (the real recovery
 * path, in a fresh process, which must report the same head and torn bytes the parent saw);
 * the last one by this test, which also audits the whole journal from genesis.
 *
 * <p>Budget: 8 kills per named stage + 40 random = 72 child JVMs, about 0.4 s each to
 * start; the whole test should stay well under 90 s. It prints its duration.
 */
class JournalCrashTest {
    private static final int KILLS_PER_STAGE = 8;
    private static final int RANDOM_KILLS = 40;

    @TempDir
    Path dir;

    private final Random random = new Random(72);
    /** Highest sequence any child acknowledged. */
    private long acknowledged;
    /** Last record this run knows of: the head at open, then each acknowledgement. */
    private long lastOfRun;
    private Expectation pending;

    /** What the next child must report when it opens the journal the last one left. */
    private record Expectation(long head, long tornBytes) {
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkillAndNothingHalfWrittenRemains() throws Exception {
        long started = System.nanoTime();
        Path journalDir = dir.resolve("journal");
        int kills = 0;
        for (int round = 0; round < KILLS_PER_STAGE; round++) {
            for (AppendStage stage : AppendStage.values()) {
                killAtStage(journalDir, stage, 1 + (round % 3));
                kills++;
            }
        }
        for (int i = 0; i < RANDOM_KILLS; i++) {
            killAtRandom(journalDir, random.nextInt(120));
            kills++;
        }
        auditAfterLastKill(journalDir);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("JournalCrashTest: " + kills + " SIGKILLs, " + acknowledged + " acknowledged records, "
                + millis + " ms");
        assertEquals(4 * KILLS_PER_STAGE + RANDOM_KILLS, kills);
    }

    private void killAtStage(Path journalDir, AppendStage stage, int onAppend) throws Exception {
        CrashChildProcess child = CrashChildProcess.start(journalDir, stage.name(), Integer.toString(onAppend));
        checkOpen(child);
        String at = child.awaitLineStartingWith("AT ");
        assertTrue(at.startsWith("AT " + stage + " "), at);
        child.kill();
        recordAcks(child.lines());
        long records = inspect(journalDir, stage == AppendStage.MID_WRITE);
        switch (stage) {
            case BEFORE_WRITE, MID_WRITE -> assertEquals(lastOfRun, records, stage + ": nothing of the record");
            case AFTER_WRITE, AFTER_FSYNC -> assertEquals(lastOfRun + 1, records,
                    stage + ": the whole unacknowledged record (the page cache survives SIGKILL)");
        }
    }

    private void killAtRandom(Path journalDir, int delayMillis) throws Exception {
        CrashChildProcess child = CrashChildProcess.start(journalDir, "random");
        checkOpen(child);
        Thread.sleep(delayMillis);
        child.kill();
        recordAcks(child.lines());
        long records = inspect(journalDir, false);
        assertTrue(records == lastOfRun || records == lastOfRun + 1,
                records + " records after " + lastOfRun + " acknowledged or present at open");
    }

    private void checkOpen(CrashChildProcess child) throws Exception {
        String open = child.awaitLineStartingWith("OPEN ");
        String[] parts = open.split(" ");
        lastOfRun = Long.parseLong(parts[1]);
        if (pending != null) {
            assertEquals(pending.head(), Long.parseLong(parts[1]), "head seen by the next process");
            assertEquals(pending.tornBytes(), Long.parseLong(parts[2]), "torn bytes cut by the next process");
        }
    }

    private void recordAcks(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("OPEN ") || line.startsWith("AT ")) {
                continue;
            }
            if (!line.startsWith("ACK ")) {
                fail("unexpected line from the child: " + line);
            }
            long sequence = Long.parseLong(line.substring(4));
            assertEquals(lastOfRun + 1, sequence, "acknowledgements follow the head, without gaps");
            lastOfRun = sequence;
            acknowledged = sequence;
        }
    }

    /**
     * Reads the journal without changing it: every complete record parses, is in sequence and
     * holds the expected body; returns how many there are and tells the next child what to expect.
     */
    private long inspect(Path journalDir, boolean expectTorn) throws IOException, JournalFormatException {
        Path file = journalDir.resolve(Journal.JOURNAL_FILE);
        List<JournalRecord> records = new ArrayList<>();
        List<JournalFormatException> problems = new ArrayList<>();
        AppendOnlyLog.Scan scan = AppendOnlyLog.read(file, 0, (offset, frame) -> {
            try {
                records.add(RecordFormat.decode(frame));
            } catch (JournalFormatException e) {
                problems.add(e);
            }
        });
        assertEquals(List.of(), problems);
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i + 1, records.get(i).sequence());
            assertArrayEquals(CrashChild.body(i + 1), records.get(i).body(), "body of record " + (i + 1));
        }
        assertTrue(records.size() >= acknowledged, "an acknowledged record is missing");
        if (expectTorn) {
            assertTrue(scan.tornBytes() > 0, "a kill mid-write leaves a torn tail");
        }
        pending = new Expectation(records.size(), scan.tornBytes());
        return records.size();
    }

    private void auditAfterLastKill(Path journalDir) throws Exception {
        try (Journal journal = Journal.open(journalDir, TestKeys.WRITER, ScriptedClock.fromBase(),
                ReplayHandler.IGNORE)) {
            assertEquals(pending.head(), journal.head().sequence());
            assertEquals(pending.tornBytes(), journal.openReport().tornBytesCut());
        }
        VerificationReport report = JournalVerifier.verify(journalDir.resolve(Journal.JOURNAL_FILE),
                TestKeys.WRITER.publicKey());
        assertTrue(report.ok(), report.summary());
        assertEquals(pending.head(), report.recordCount());
        assertEquals(0, report.tornBytes());
        assertTrue(acknowledged > 4 * KILLS_PER_STAGE, "the random kills let records through: " + acknowledged);
    }
}
