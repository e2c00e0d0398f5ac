package dev.keyescrow.bench.journal;

import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.ReplayHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Durable appends per second of a real journal on this machine's disk (every append returns
 * only after its fsync), at 1, 4 and 16 concurrent writers, in two modes measured in the same run:
 *
 * <ul>
 *   <li>{@code ONE_PER_BATCH}: every append waits for the previous one to return before it starts
 *       (a lock around {@link Journal#append}), so each batch holds one record: one signature and
 *       one fsync per record, which is what the journal did before group commit;</li>
 *   <li>{@code GROUP_COMMIT}: writers call {@link Journal#append} directly, and the appends that
 *       arrive during a batch's fsync share the next batch (one signature, one fsync).</li>
 * </ul>
 *
 * <p>The writer key is a software P-256 key (a token's signature costs more, which favours group
 * commit further). The journal lives in a directory on the same file system as the working
 * directory ({@code java.io.tmpdir} may be a RAM disk, where fsync costs nothing). Run:
 * {@code java -cp bench/target/benchmarks.jar dev.keyescrow.bench.journal.JournalAppendBenchmark}
 * (JMH options accepted, e.g. {@code -t 4 -p mode=GROUP_COMMIT}). Thread counts are set by
 * the {@code main} below; with plain JMH pass {@code -t}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class JournalAppendBenchmark {
    /** One body per append: a typical node event is a few hundred bytes of JSON. */
    private static final byte[] BODY = new byte[300];

    public enum Commit { ONE_PER_BATCH, GROUP_COMMIT }

    @Param({"ONE_PER_BATCH", "GROUP_COMMIT"})
    public Commit mode;

    private final Object oneAtATime = new Object();
    private Path directory;
    private Journal journal;

    @Setup(Level.Trial)
    public void open() throws Exception {
        Path base = Path.of(System.getProperty("journal.bench.dir", "target"));
        Files.createDirectories(base);
        directory = Files.createTempDirectory(base.toAbsolutePath(), "journal-append-");
        journal = Journal.open(directory, SoftwareP256Signer.generate(new SecureRandom()), Clock.systemUTC(),
                ReplayHandler.IGNORE);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Per-thread counts JMH reports beside the score: {@code seals} per second is batches per
     * second (each batch has one seal), so appends per seal is the mean batch size, a figure
     * the disk's speed does not blur the way it blurs appends per second.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Batches {
        public long seals;
    }

    @Benchmark
    public JournalRecord append(Batches batches) throws Exception {
        JournalRecord record;
        if (mode == Commit.ONE_PER_BATCH) {
            synchronized (oneAtATime) {
                record = journal.append("bench", BODY);
            }
        } else {
            record = journal.append("bench", BODY);
        }
        if (record.sealed()) {
            batches.seals++;
        }
        return record;
    }

    /** Both modes at 1, 4 and 16 writers, in one run. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        for (int threads : new int[] {1, 4, 16}) {
            new Runner(new OptionsBuilder().parent(cli).include(JournalAppendBenchmark.class.getName() + ".append")
                    .threads(threads).build()).run();
        }
    }
}
