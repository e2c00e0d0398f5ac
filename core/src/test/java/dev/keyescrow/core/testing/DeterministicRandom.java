package dev.keyescrow.core.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Test-only SecureRandom: SHA-256 in counter mode over a seed, so splits replay byte for byte. */
public final class DeterministicRandom extends SecureRandom {
    private final byte[] seed;
    private long counter;
    private final byte[] block = new byte[32];
    private int available;

    public DeterministicRandom(long seed) {
        super();
        this.seed = ByteBuffer.allocate(8).putLong(seed).array();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (available == 0) {
                refill();
            }
            bytes[i] = block[32 - available--];
        }
    }

    private void refill() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(seed);
            sha.update(ByteBuffer.allocate(8).putLong(counter++).array());
            System.arraycopy(sha.digest(), 0, block, 0, 32);
            available = 32;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void setSeed(long ignored) {
        // the seed is fixed at construction; SecureRandom's constructor calls this
    }
}
