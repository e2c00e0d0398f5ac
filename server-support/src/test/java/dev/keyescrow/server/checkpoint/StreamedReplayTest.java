package dev.keyescrow.server.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.ReplayHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start applies records as they stream from the journal: a JVM with a 24 MB heap starts a
 * ledger from a 64 MB journal (with a checkpoint half-way, so the checkpointed prefix streams
 * too), while the same JVM collecting the records first, as servers did, runs out of memory.
 */
class StreamedReplayTest {
    private static final int RECORDS = 128;
    private static final int BODY = 512 * 1024;
    private static final int CHECKPOINT_AT = 64;

    @TempDir
    Path directory;

    @Test
    void aSmallHeapStartsFromAJournalItCouldNotHoldAsAList() throws Exception {
        ReplayChild.ChainLedger expected = new ReplayChild.ChainLedger();
        Random random = new Random(15);
        try (Journal journal = Journal.open(directory, ReplayChild.writer(), Clock.systemUTC(), ReplayHandler.IGNORE)) {
            for (int i = 1; i <= RECORDS; i++) {
                byte[] body = new byte[BODY];
                random.nextBytes(body);
                JournalRecord record = journal.append("test", body);
                expected.apply(record);
                if (i == CHECKPOINT_AT) {
                    journal.checkpoint(new CheckpointState(ReplayChild.ChainLedger.NAME, expected.stateDigest())
                            .encode());
                }
            }
        }
        assertTrue(Files.size(directory.resolve("journal.log")) > 64L * 1024 * 1024, "the journal is over 64 MB");

        Result streamed = run("stream");
        assertEquals(0, streamed.exit, streamed.err);
        assertEquals("applied " + RECORDS + " from-checkpoint " + CHECKPOINT_AT + " state "
                + HexFormat.of().formatHex(expected.stateDigest()), streamed.out.strip());

        Result listed = run("list");
        assertNotEquals(0, listed.exit, "a 24 MB heap held the whole journal as a list: the test proves nothing");
        assertTrue(listed.err.contains("OutOfMemoryError"), listed.err);
    }

    private Result run(String mode) throws Exception {
        Path out = Files.createTempFile(directory.getParent(), "replay-child", ".out");
        Path err = Files.createTempFile(directory.getParent(), "replay-child", ".err");
        try {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx24m", "-XX:TieredStopAtLevel=1", "-XX:-HeapDumpOnOutOfMemoryError",
                    "-cp", System.getProperty("java.class.path"), ReplayChild.class.getName(),
                    directory.toString(), mode);
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the " + mode + " child did not finish");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private record Result(int exit, String out, String err) {
    }
}
