package dev.keyescrow.journal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The process {@link JournalCrashTest} kills. Opens the journal in {@code args[0]}, prints
 * {@code OPEN <head> <torn bytes cut> <checkpoint sequence>}, then appends records whose body
 * is {@code record-<sequence>} and prints {@code ACK <sequence>} after each append returns;
 * every 20th record it also writes a checkpoint. {@code args[1]} is {@code random} (append
 * until killed) or a stage name with {@code args[2]} = n: at that stage of its n-th append it
 * prints {@code AT <stage> <sequence>} and waits to be killed. A journal that will not open
 * prints {@code CORRUPT <fault>} and exits with 3.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        Path directory = Path.of(args[0]);
        if (args[1].equals("concurrent")) {
            appendConcurrently(directory, Integer.parseInt(args[2]), out);
            return;
        }
        AppendHook hook = AppendHook.NONE;
        if (!args[1].equals("random")) {
            AppendStage target = AppendStage.valueOf(args[1]);
            int crashOnAppend = Integer.parseInt(args[2]);
            int[] appends = {0};
            hook = (stage, offset) -> {
                if (stage == AppendStage.BEFORE_WRITE) {
                    appends[0]++;
                }
                if (stage == target && appends[0] == crashOnAppend) {
                    out.println("AT " + stage + " " + offset);
                    waitToBeKilled();
                }
            };
        }
        Journal journal;
        try {
            journal = Journal.open(directory, TestKeys.WRITER, Clock.systemUTC(), ReplayHandler.IGNORE, hook);
        } catch (JournalCorruptException e) {
            out.println("CORRUPT " + e.fault().describe());
            System.exit(3);
            return;
        }
        OpenReport report = journal.openReport();
        out.println("OPEN " + report.head().sequence() + " " + report.tornBytesCut() + " " + report.checkpointSequence());
        while (true) {
            long sequence = journal.head().sequence() + 1;
            journal.append("crash-test", body(sequence));
            out.println("ACK " + sequence);
            if (sequence % 20 == 0) {
                journal.checkpoint(("state-" + sequence).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /**
     * {@code writers} threads append until killed, each record's body naming its writer and
     * count; a line {@code ACK <sequence> <body>} is printed after each append returns (println
     * is atomic, so lines never interleave).
     */
    private static void appendConcurrently(Path directory, int writers, PrintStream out) throws Exception {
        Journal journal;
        try {
            journal = Journal.open(directory, TestKeys.WRITER, Clock.systemUTC(), ReplayHandler.IGNORE);
        } catch (JournalCorruptException e) {
            out.println("CORRUPT " + e.fault().describe());
            System.exit(3);
            return;
        }
        OpenReport report = journal.openReport();
        out.println("OPEN " + report.head().sequence() + " " + report.tornBytesCut());
        String run = Long.toHexString(System.nanoTime());
        for (int w = 0; w < writers; w++) {
            String writer = run + "-w" + w;
            new Thread(() -> {
                try {
                    for (long i = 0; ; i++) {
                        String body = writer + "-" + i;
                        JournalRecord record = journal.append("crash-test", body.getBytes(StandardCharsets.US_ASCII));
                        out.println("ACK " + record.sequence() + " " + body);
                    }
                } catch (Exception e) {
                    out.println("FAILED " + e);
                }
            }).start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    static byte[] body(long sequence) {
        return ("record-" + sequence).getBytes(StandardCharsets.US_ASCII);
    }

    private static void waitToBeKilled() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
