package dev.keyescrow.bench.restart;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.RecordFormat;
import dev.keyescrow.node.approval.NodeEvents;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.approval.RequestTimeLimits;
import dev.keyescrow.server.checkpoint.CheckpointSchedule;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A node's start with {@code requests} requests in its history (each: admission + {@code
 * answers} approvals, every one signed), three ways: full replay (every record's signature and
 * every answer verified: what every start did before checkpoints), from the checkpoint of a
 * clean stop (at the head), and from a checkpoint {@code tail} records before the head (a
 * crash just before the next periodic checkpoint).
 *
 * <p>The journal is written directly (records signed in parallel, one fsync at the end) rather
 * than through {@link NodeService#submit}, whose fsync per record would make the setup last
 * hours; the bytes are the ones a node writes. Run:
 * {@code java -cp bench/target/benchmarks.jar dev.keyescrow.bench.restart.NodeRestartBenchmark
 * [requests] [answers] [tail] [directory]} (tail 0 skips the third way, which needs a second full
 * replay of the records before the tail).
 */
public final class NodeRestartBenchmark {
    private static final int CHUNK = 10_000;

    private NodeRestartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int answers = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int tail = args.length > 2 ? Integer.parseInt(args[2]) : 9_999;
        Path directory = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("node-restart-bench");
        SecureRandom random = new SecureRandom();
        NodeHistory history = new NodeHistory(random);
        SoftwareP256Signer identity = SoftwareP256Signer.generate(random);
        Path journalDirectory = directory.resolve("journal");
        Files.createDirectories(journalDirectory);

        long started = System.nanoTime();
        List<byte[]> bodies = new ArrayList<>(history.setup());
        List<List<byte[]>> perRequest = IntStream.range(0, requests).parallel().mapToObj(n -> {
            try {
                return history.request(n, answers);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        perRequest.forEach(bodies::addAll);
        perRequest = null;
        int records = bodies.size();
        long[] offsets = write(journalDirectory.resolve(Journal.JOURNAL_FILE), identity, bodies);
        // the generated bodies must not stay on the heap the starts are measured in (-Xmx256m as a member)
        bodies.clear();
        bodies = null;
        System.out.printf("generated %,d requests, %,d records (%,d bytes) in %,d ms%n", requests, records,
                Files.size(journalDirectory.resolve(Journal.JOURNAL_FILE)), millisSince(started));

        Path checkpoint = journalDirectory.resolve(Journal.CHECKPOINT_FILE);
        // before checkpoints: every start was this; its clean stop writes the first checkpoint (at the head)
        long full = timeOpen(directory, history, identity, 0, records);
        System.out.printf("full replay of %,d records (before checkpoints): %,d ms (%,d µs per record)%n", records,
                full, full * 1000 / records);
        long[] atHead = new long[3];
        for (int i = 0; i < atHead.length; i++) {
            atHead[i] = timeOpen(directory, history, identity, records, records);
        }
        report("from the checkpoint of a clean stop (at the head)", atHead);
        if (tail <= 0) {
            return;
        }
        // the checkpoint a node would have written tail records before the head (a crash just before the next)
        int cut = records - tail;
        Path prefix = directory.resolve("prefix");
        Files.createDirectories(prefix.resolve("journal"));
        try (var in = java.nio.channels.FileChannel.open(journalDirectory.resolve(Journal.JOURNAL_FILE));
                var out = java.nio.channels.FileChannel.open(prefix.resolve("journal").resolve(Journal.JOURNAL_FILE),
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(0, offsets[cut], out);
        }
        long fullPrefix = timeOpen(prefix, history, identity, 0, cut);
        System.out.printf("full replay of the first %,d records (to checkpoint them): %,d ms%n", cut, fullPrefix);
        Path tailCheckpoint = directory.resolve("checkpoint-at-" + cut);
        Files.copy(prefix.resolve("journal").resolve(Journal.CHECKPOINT_FILE), tailCheckpoint);
        long[] withTail = new long[3];
        for (int i = 0; i < withTail.length; i++) {
            Files.copy(tailCheckpoint, checkpoint, StandardCopyOption.REPLACE_EXISTING);
            withTail[i] = timeOpen(directory, history, identity, cut, records);
        }
        report("from a checkpoint " + tail + " records before the head", withTail);
    }

    private static void report(String what, long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: min %,d ms, median %,d ms, max %,d ms (%d starts)%n", what, sorted[0],
                sorted[sorted.length / 2], sorted[sorted.length - 1], sorted.length);
    }

    /** Opens (and cleanly stops) a node on {@code directory}; checks where it started and where it ended. */
    private static long timeOpen(Path directory, NodeHistory history, SoftwareP256Signer identity,
            long expectedCheckpoint, long expectedHead) throws Exception {
        long started = System.nanoTime();
        long elapsed;
        try (NodeService node = NodeService.open("node-a", history.coordinator.publicKey(), directory, identity,
                Clock.fixed(NodeHistory.CREATED.plusSeconds(1), ZoneOffset.UTC), RequestTimeLimits.DEFAULT,
                CheckpointSchedule.DEFAULT)) {
            elapsed = millisSince(started);
            if (node.startedFromCheckpoint() != expectedCheckpoint || node.head().sequence() != expectedHead) {
                throw new IllegalStateException("started from " + node.startedFromCheckpoint() + " to "
                        + node.head().sequence() + ", expected " + expectedCheckpoint + " to " + expectedHead);
            }
        }
        return elapsed;
    }

    /** Writes the journal; returns the offset of each record's frame (index = sequence - 1) and the end. */
    private static long[] write(Path file, SoftwareP256Signer writer, List<byte[]> bodies) throws Exception {
        long[] offsets = new long[bodies.size() + 1];
        byte[] previous = RecordFormat.genesisHash(writer.publicKey());
        SoftwareP256Signer placeholder = SoftwareP256Signer.generate(new SecureRandom());
        long offset = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file),
                1 << 20))) {
            for (int start = 0; start < bodies.size(); start += CHUNK) {
                int count = Math.min(CHUNK, bodies.size() - start);
                byte[][] previousHashes = new byte[count][];
                for (int i = 0; i < count; i++) {
                    previousHashes[i] = previous;
                    // a record's hash does not cover its signature: chain with a cheap signer, sign in parallel after
                    previous = RecordFormat.sign(placeholder, start + i + 1, time(start + i + 1), previous,
                            NodeEvents.KIND, bodies.get(start + i)).hash();
                }
                int first = start;
                JournalRecord[] signed = new JournalRecord[count];
                IntStream.range(0, count).parallel().forEach(i -> signed[i] = sign(writer, first + i + 1,
                        previousHashes[i], bodies.get(first + i)));
                for (JournalRecord record : signed) {
                    byte[] encoded = record.encoded();
                    offsets[(int) record.sequence() - 1] = offset;
                    out.writeInt(encoded.length);
                    out.write(encoded);
                    offset += 4 + encoded.length;
                }
            }
        }
        offsets[bodies.size()] = offset;
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return offsets;
    }

    private static long time(long sequence) {
        return NodeHistory.CREATED.toEpochMilli() + sequence;
    }

    private static JournalRecord sign(SoftwareP256Signer writer, long sequence, byte[] previous, byte[] body) {
        try {
            return RecordFormat.sign(writer, sequence, time(sequence), previous, NodeEvents.KIND, body);
        } catch (KeyEscrowException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
