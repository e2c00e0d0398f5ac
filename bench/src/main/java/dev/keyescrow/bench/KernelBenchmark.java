package dev.keyescrow.bench;

import dev.keyescrow.core.sharing.internal.ShamirKernel;
import java.security.SecureRandom;
import java.util.Arrays;
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
 * Reference row: our constant-time arithmetic alone ({@link ShamirKernel}), with coefficients
 * drawn once in setup and output arrays reused, so no DRBG, no copies, no validation. The gap
 * between this row, the DRBG row and the full split or combine is the API's overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBenchmark {
    @Param({"B32_3_OF_5", "B32_5_OF_9", "MIB1_3_OF_5"})
    public Shape shape;

    private byte[][] chunks;
    private byte[][] coefficients;
    private int[] xs;
    private byte[][] outputs;
    private int[] chosenXs;
    private byte[][][] chosenValues;
    private byte[] secret;

    @Setup(Level.Trial)
    public void setUp() {
        SecureRandom random = Drbg.create();
        chunks = shape.randomChunks(random);
        int t = shape.threshold();
        int n = shape.shareCount();
        int length = shape.chunkLength();
        coefficients = new byte[chunks.length][(t - 1) * length];
        xs = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i + 1;
        }
        outputs = new byte[n][length];
        chosenXs = Arrays.copyOf(xs, t);
        chosenValues = new byte[chunks.length][t][];
        secret = new byte[length];
        for (int c = 0; c < chunks.length; c++) {
            random.nextBytes(coefficients[c]);
            ShamirKernel.split(chunks[c], coefficients[c], 0, t, xs, outputs);
            for (int i = 0; i < t; i++) {
                chosenValues[c][i] = outputs[i].clone();
            }
            ShamirKernel.interpolate(0, chosenXs, chosenValues[c], secret);
            if (!Arrays.equals(secret, chunks[c])) {
                throw new IllegalStateException("kernel did not reconstruct chunk " + c + " of " + shape);
            }
        }
    }

    @Benchmark
    public void kernelSplit(Blackhole blackhole) {
        for (int c = 0; c < chunks.length; c++) {
            ShamirKernel.split(chunks[c], coefficients[c], 0, shape.threshold(), xs, outputs);
            blackhole.consume(outputs);
        }
    }

    @Benchmark
    public void kernelInterpolate(Blackhole blackhole) {
        for (int c = 0; c < chunks.length; c++) {
            ShamirKernel.interpolate(0, chosenXs, chosenValues[c], secret);
            blackhole.consume(secret);
        }
    }
}
