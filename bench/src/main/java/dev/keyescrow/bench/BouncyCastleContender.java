package dev.keyescrow.bench;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.threshold.ShamirSecretSplitter;
import org.bouncycastle.crypto.threshold.ShamirSecretSplitter.Algorithm;
import org.bouncycastle.crypto.threshold.ShamirSplitSecret;
import org.bouncycastle.crypto.threshold.ShamirSplitSecretShare;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Bouncy Castle 1.87's {@link ShamirSecretSplitter} over GF(2^8) with 0x11B (its AES
 * polynomial, the same field as ours). One splitter per chunk length, built in setup. 1.87
 * deprecates the constructors that take a {@code Mode} (its multiply is a branch-free
 * shift-and-add whatever the mode), so this uses the {@code getInstance} factories, which
 * build the same objects.
 */
final class BouncyCastleContender extends Contender {
    private final ShamirSecretSplitter splitter;
    private final ShamirSplitSecretShare[][] chosen;

    BouncyCastleContender(Shape shape, SecureRandom random, byte[][] chunks) {
        super(shape, chunks);
        this.splitter = ShamirSecretSplitter.getInstance(Algorithm.AES, shape.chunkLength(), random);
        this.chosen = new ShamirSplitSecretShare[chunks.length][];
        for (int c = 0; c < chunks.length; c++) {
            ShamirSplitSecretShare[] all = splitter.resplit(chunks[c], shape.threshold(), shape.shareCount())
                    .getSecretShares();
            chosen[c] = Arrays.copyOf(all, shape.threshold());
        }
    }

    @Override
    void split(Blackhole blackhole) {
        for (byte[] chunk : chunks) {
            blackhole.consume(splitter.resplit(chunk, shape.threshold(), shape.shareCount()));
        }
    }

    @Override
    void combine(Blackhole blackhole) {
        for (ShamirSplitSecretShare[] shares : chosen) {
            blackhole.consume(combine(shares));
        }
    }

    @Override
    byte[] combineChunk(int chunk) {
        return combine(chosen[chunk]);
    }

    private static byte[] combine(ShamirSplitSecretShare[] shares) {
        try {
            return ShamirSplitSecret.getInstance(Algorithm.AES, shares).getSecret();
        } catch (IOException e) {
            throw new IllegalStateException("Bouncy Castle could not combine its own shares", e);
        }
    }
}
