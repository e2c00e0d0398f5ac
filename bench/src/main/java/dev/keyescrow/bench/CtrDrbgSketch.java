package dev.keyescrow.bench;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A measuring sketch, not a generator to use: SP 800-90A CTR_DRBG with AES-256 and no
 * derivation function, with its block encryptions done by the JCA's {@code AES/CTR/NoPadding}
 * (which the JIT runs on the AES instructions), seeded from the JDK's DRBG. It answers one
 * question for the quorum path's budget: would such a generator beat the JDK's Hash_DRBG at the
 * draw sizes a split makes? It has not been validated against NIST's CAVP vectors and nothing in
 * the product uses it.
 */
final class CtrDrbgSketch {
    private static final int KEY = 32;
    private static final int BLOCK = 16;
    private static final int SEED = KEY + BLOCK;
    /** SP 800-90A's largest request for this construction, 2^19 bits. */
    private static final int MAX_REQUEST = 1 << 16;
    private static final byte[] ZEROS = new byte[8192];

    private final Cipher aes;
    private byte[] key = new byte[KEY];
    private final byte[] v = new byte[BLOCK];

    /** Instantiated from 48 bytes of seed material (key and V start at zero, as the standard says). */
    CtrDrbgSketch(byte[] seed) {
        if (seed.length != SEED) {
            throw new IllegalArgumentException("the seed material is " + SEED + " bytes");
        }
        try {
            aes = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/CTR", e);
        }
        update(seed);
    }

    static CtrDrbgSketch seededFrom(SecureRandom seedSource) {
        byte[] seed = new byte[SEED];
        seedSource.nextBytes(seed);
        try {
            return new CtrDrbgSketch(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Generate without additional input, then Update(0) for backtracking resistance. The update
     * runs under the same key from the next counter, so one keystream (one key schedule) serves both.
     */
    void nextBytes(byte[] out) {
        int done = 0;
        do {
            int n = Math.min(MAX_REQUEST, out.length - done);
            int outputBlocks = (n + BLOCK - 1) / BLOCK;
            byte[] stream = new byte[outputBlocks * BLOCK + SEED];
            keystream(stream, stream.length);
            System.arraycopy(stream, 0, out, done, n);
            rekey(stream, outputBlocks * BLOCK);
            Arrays.fill(stream, (byte) 0);
            done += n;
        } while (done < out.length);
    }

    private void update(byte[] providedData) {
        byte[] temp = new byte[SEED];
        keystream(temp, SEED);
        for (int i = 0; i < SEED; i++) {
            temp[i] ^= providedData[i];
        }
        rekey(temp, 0);
        Arrays.fill(temp, (byte) 0);
    }

    private void rekey(byte[] material, int from) {
        Arrays.fill(key, (byte) 0);
        key = Arrays.copyOfRange(material, from, from + KEY);
        System.arraycopy(material, from + KEY, v, 0, BLOCK);
    }

    /** AES-CTR from V + 1 over zeros; V ends at the last counter block used, as the standard says. */
    private void keystream(byte[] out, int length) {
        increment(v);
        try {
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(v));
            int done = 0;
            while (done < length) {
                int n = Math.min(ZEROS.length, length - done);
                done += aes.update(ZEROS, 0, n, out, done);
            }
            aes.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR refused its own key", e);
        }
        long blocks = (length + BLOCK - 1) / BLOCK;
        add(v, blocks - 1);
    }

    private static void increment(byte[] counter) {
        add(counter, 1);
    }

    private static void add(byte[] counter, long amount) {
        long carry = amount;
        for (int i = counter.length - 1; i >= 0 && carry != 0; i--) {
            long sum = (counter[i] & 0xff) + (carry & 0xff);
            counter[i] = (byte) sum;
            carry = (carry >>> 8) + (sum >>> 8);
        }
    }
}
