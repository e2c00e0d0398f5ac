package dev.keyescrow.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Split throughput of each library for each shape: one operation is the whole secret (all its
 * chunks), with fresh DRBG randomness every time, as a real split draws it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SplitBenchmark {
    @Param({"OURS", "BOUNCY_CASTLE", "CODAHALE"})
    public Library library;

    @Param({"B32_3_OF_5", "B32_5_OF_9", "MIB1_3_OF_5"})
    public Shape shape;

    private Contender contender;

    @Setup(Level.Trial)
    public void setUp() {
        SecureRandom random = Drbg.create();
        contender = library.prepare(shape, random, shape.randomChunks(random));
        contender.check();
    }

    @Benchmark
    public void split(Blackhole blackhole) {
        contender.split(blackhole);
    }
}
