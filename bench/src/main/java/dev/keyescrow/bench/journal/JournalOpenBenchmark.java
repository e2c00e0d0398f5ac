package dev.keyescrow.bench.journal;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.Checkpoint;
import dev.keyescrow.journal.CheckpointFormat;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.OpenReport;
import dev.keyescrow.journal.RecordFormat;
import dev.keyescrow.journal.ReplayHandler;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Open time of a journal of 1,000,000 signed records: full replay (every signature verified
 * from genesis) versus a checkpoint near the head (only the records after it verified).
 *
 * <p>Not JMH: the figure of interest is one cold-ish start of a server, measured a few times
 * on a warm page cache, and the setup (signing a million records) dwarfs any harness. The
 * journal is written directly with {@link RecordFormat} and fsynced once at the end (a real
 * journal fsyncs each record; that is not what is measured here). Run:
 * {@code java -cp bench/target/classes:<deps> dev.keyescrow.bench.journal.JournalOpenBenchmark [records] [tail] [dir]}.
 */
public final class JournalOpenBenchmark {
    private static final int CHUNK = 10_000;
    private static final int BODY_LENGTH = 48;

    private JournalOpenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int tail = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Path directory = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("journal-bench");
        SoftwareP256Signer writer = SoftwareP256Signer.generate(new SecureRandom());
        try {
            long started = System.nanoTime();
            Checkpoint checkpoint = generate(directory, writer, records, records - tail);
            System.out.printf("generated %,d records (%,d bytes) in %,d ms; checkpoint at %,d%n", records,
                    Files.size(directory.resolve(Journal.JOURNAL_FILE)), millisSince(started), checkpoint.sequence());

            Path checkpointFile = directory.resolve(Journal.CHECKPOINT_FILE);
            Path aside = directory.resolve("checkpoint.aside");
            Files.write(checkpointFile, checkpoint.encoded());
            Files.move(checkpointFile, aside, StandardCopyOption.REPLACE_EXISTING);
            long full = timeOpen(directory, writer, records, 0);
            System.out.printf("open with full replay: %,d ms (%,d records verified)%n", full, records);

            Files.move(aside, checkpointFile, StandardCopyOption.REPLACE_EXISTING);
            long[] withCheckpoint = new long[5];
            for (int i = 0; i < withCheckpoint.length; i++) {
                withCheckpoint[i] = timeOpen(directory, writer, records, checkpoint.sequence());
            }
            Arrays.sort(withCheckpoint);
            System.out.printf("open from a checkpoint %,d records before the head: min %,d ms, median %,d ms, max %,d ms"
                    + " (5 opens)%n", tail, withCheckpoint[0], withCheckpoint[2], withCheckpoint[4]);
        } finally {
            if (args.length <= 2) {
                delete(directory);
            }
        }
    }

    /**
     * Writes {@code records} records, signing chunk by chunk in parallel: a record's hash does
     * not cover its signature, so the chain is computed first (cheap) and the signatures after.
     */
    private static Checkpoint generate(Path directory, Signer writer, int records, long checkpointAt)
            throws IOException, KeyEscrowException {
        Files.createDirectories(directory);
        Signer placeholder = placeholderOf(writer);
        byte[] previous = RecordFormat.genesisHash(writer.publicKey());
        long offset = 0;
        Checkpoint checkpoint = null;
        try (OutputStream file = Files.newOutputStream(directory.resolve(Journal.JOURNAL_FILE));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, 1 << 20))) {
            for (int start = 1; start <= records; start += CHUNK) {
                int count = Math.min(CHUNK, records - start + 1);
                long[] times = new long[count];
                byte[][] previousHashes = new byte[count][];
                for (int i = 0; i < count; i++) {
                    long sequence = start + i;
                    times[i] = 1_767_225_600_000L + sequence;
                    previousHashes[i] = previous;
                    previous = RecordFormat.sign(placeholder, sequence, times[i], previous, "bench", body(sequence))
                            .hash();
                }
                int first = start;
                JournalRecord[] signed = new JournalRecord[count];
                IntStream.range(0, count).parallel().forEach(i -> signed[i] = sign(writer, first + i, times[i],
                        previousHashes[i]));
                for (JournalRecord record : signed) {
                    byte[] encoded = record.encoded();
                    if (record.sequence() == checkpointAt) {
                        checkpoint = CheckpointFormat.sign(writer, record.sequence(), offset, record.hash(),
                                record.timeMillis(), new byte[1024]);
                    }
                    out.writeInt(encoded.length);
                    out.write(encoded);
                    offset += 4 + encoded.length;
                }
            }
        }
        try (var channel = java.nio.channels.FileChannel.open(directory.resolve(Journal.JOURNAL_FILE),
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return checkpoint;
    }

    private static JournalRecord sign(Signer writer, long sequence, long time, byte[] previous) {
        try {
            return RecordFormat.sign(writer, sequence, time, previous, "bench", body(sequence));
        } catch (KeyEscrowException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long timeOpen(Path directory, Signer writer, int records, long checkpointSequence)
            throws Exception {
        long[] replayed = {0};
        long started = System.nanoTime();
        OpenReport report;
        try (Journal journal = Journal.open(directory, writer, Clock.systemUTC(), new ReplayHandler() {
            @Override
            public void record(JournalRecord record) {
                replayed[0]++;
            }
        })) {
            report = journal.openReport();
        }
        long elapsed = millisSince(started);
        if (report.head().sequence() != records || report.checkpointSequence() != checkpointSequence
                || replayed[0] != records - checkpointSequence) {
            throw new IllegalStateException("unexpected open: " + report);
        }
        return elapsed;
    }

    /** A body of the size of a blob id plus a little: what most records of a node carry. */
    private static byte[] body(long sequence) {
        byte[] body = new byte[BODY_LENGTH];
        for (int i = 0; i < 8; i++) {
            body[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        return body;
    }

    /** Signs nothing: gives the chain hashes (which exclude the signature) at the cost of SHA-256 only. */
    private static Signer placeholderOf(Signer writer) {
        byte[] lowS = new byte[64];
        lowS[31] = 1;
        lowS[63] = 1;
        return new Signer() {
            @Override
            public byte[] publicKey() {
                return writer.publicKey();
            }

            @Override
            public byte[] sign(byte[] message) {
                return lowS.clone();
            }
        };
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
