package dev.keyescrow.bench;

import dev.keyescrow.core.sharing.SplitId;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.prng.SP800SecureRandomBuilder;
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
 * The draws of one split (as {@link DrbgBenchmark}) from each candidate generator, in one run:
 * the JDK's Hash_DRBG (what the core uses), the JDK's CTR_DRBG (AES-256), Bouncy Castle's
 * CTR_DRBG, and {@link CtrDrbgSketch} on the JCA's AES-CTR. It decides whether a CTR_DRBG would
 * take the DRBG's share out of a 32-byte split.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DrbgChoiceBenchmark {
    /** The generators compared. */
    public enum Generator {
        JDK_HASH_DRBG, JDK_CTR_DRBG, BC_CTR_DRBG, CTR_SKETCH_ON_AES_CTR
    }

    @Param({"B32_3_OF_5", "B32_5_OF_9", "MIB1_3_OF_5"})
    public Shape shape;

    @Param({"JDK_HASH_DRBG", "JDK_CTR_DRBG", "BC_CTR_DRBG", "CTR_SKETCH_ON_AES_CTR"})
    public Generator generator;

    private Consumer<byte[]> draw;
    private byte[] splitId;
    private byte[] coefficients;

    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException {
        SecureRandom seeds = SecureRandom.getInstance("DRBG");
        draw = switch (generator) {
            case JDK_HASH_DRBG -> jdk("Hash_DRBG,SHA-256,128,none")::nextBytes;
            case JDK_CTR_DRBG -> jdk("CTR_DRBG,AES-256,256,none,use_df")::nextBytes;
            case BC_CTR_DRBG -> {
                byte[] nonce = new byte[16];
                seeds.nextBytes(nonce);
                yield inPieces(new SP800SecureRandomBuilder(seeds, false).setPersonalizationString(new byte[0])
                        .buildCTR(AESEngine.newInstance(), 256, nonce, false), BC_MAX_REQUEST);
            }
            case CTR_SKETCH_ON_AES_CTR -> CtrDrbgSketch.seededFrom(seeds)::nextBytes;
        };
        splitId = new byte[SplitId.LENGTH_BYTES];
        coefficients = new byte[(shape.threshold() - 1) * shape.chunkLength()];
    }

    /** Bouncy Castle refuses a request over 2^18 bits, so a large draw is made of several. */
    private static final int BC_MAX_REQUEST = 1 << 15;

    private static Consumer<byte[]> inPieces(SecureRandom random, int max) {
        return out -> {
            if (out.length <= max) {
                random.nextBytes(out);
                return;
            }
            byte[] piece = new byte[max];
            for (int done = 0; done < out.length; done += max) {
                random.nextBytes(piece);
                System.arraycopy(piece, 0, out, done, Math.min(max, out.length - done));
            }
        };
    }

    /** The JDK's DRBG configured by the {@code securerandom.drbg.config} property, read at instantiation. */
    private static SecureRandom jdk(String config) throws NoSuchAlgorithmException {
        String before = Security.getProperty("securerandom.drbg.config");
        Security.setProperty("securerandom.drbg.config", config);
        try {
            return SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(-1,
                    DrbgParameters.Capability.NONE, null));
        } finally {
            Security.setProperty("securerandom.drbg.config", before == null ? "" : before);
        }
    }

    @Benchmark
    public void drawsOfOneSplit(Blackhole blackhole) {
        for (int c = 0; c < shape.chunkCount(); c++) {
            draw.accept(splitId);
            draw.accept(coefficients);
            blackhole.consume(coefficients);
        }
    }
}
