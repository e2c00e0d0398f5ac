package dev.keyescrow.bench;

import dev.keyescrow.core.sharing.SplitId;
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
 * Reference row: only the DRBG draws our split makes for a shape (a split id, then
 * (t - 1) · length coefficient bytes, per chunk), with no arithmetic. It bounds how fast any
 * split drawing fresh coefficients from this DRBG can be, and shows how much of our split's
 * time is the random generator's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DrbgBenchmark {
    @Param({"B32_3_OF_5", "B32_5_OF_9", "MIB1_3_OF_5"})
    public Shape shape;

    private SecureRandom random;
    private byte[] splitId;
    private byte[] coefficients;

    @Setup(Level.Trial)
    public void setUp() {
        random = Drbg.create();
        splitId = new byte[SplitId.LENGTH_BYTES];
        coefficients = new byte[(shape.threshold() - 1) * shape.chunkLength()];
    }

    @Benchmark
    public void drawsOfOneSplit(Blackhole blackhole) {
        for (int c = 0; c < shape.chunkCount(); c++) {
            random.nextBytes(splitId);
            random.nextBytes(coefficients);
            blackhole.consume(coefficients);
        }
    }
}
