package dev.keyescrow.bench;

import java.security.SecureRandom;

/**
 * The secret sizes and thresholds the comparison measures, with how a secret of that size is
 * cut into calls.
 *
 * <p>Every library gets the same chunks: Bouncy Castle 1.87 refuses secrets longer than
 * 65,534 bytes (2^16 - 2, not quite 64 KiB) and our core takes at most 64 KiB, so a 1 MiB
 * secret is split as 32 independent 32 KiB secrets, the largest power of two all three
 * accept. Short secrets are one call.
 */
public enum Shape {
    B32_3_OF_5(32, 3, 5, "32 B, 3-of-5"),
    B32_5_OF_9(32, 5, 9, "32 B, 5-of-9"),
    MIB1_3_OF_5(1 << 20, 3, 5, "1 MiB, 3-of-5");

    /** The most bytes one call splits or combines. */
    public static final int MAX_CHUNK = 32 * 1024;

    private final int length;
    private final int threshold;
    private final int shareCount;
    private final String label;

    Shape(int length, int threshold, int shareCount, String label) {
        this.length = length;
        this.threshold = threshold;
        this.shareCount = shareCount;
        this.label = label;
    }

    public int length() {
        return length;
    }

    public int threshold() {
        return threshold;
    }

    public int shareCount() {
        return shareCount;
    }

    public String label() {
        return label;
    }

    public int chunkLength() {
        return Math.min(length, MAX_CHUNK);
    }

    public int chunkCount() {
        return length / chunkLength();
    }

    /** Large secrets are reported in MB/s (10^6 bytes of secret per second), small ones in ops/s. */
    public boolean reportsThroughput() {
        return length > MAX_CHUNK;
    }

    /** A fresh random secret of this shape, already cut into chunks. */
    public byte[][] randomChunks(SecureRandom random) {
        byte[][] chunks = new byte[chunkCount()][chunkLength()];
        for (byte[] chunk : chunks) {
            random.nextBytes(chunk);
        }
        return chunks;
    }
}
