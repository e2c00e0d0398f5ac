package dev.keyescrow.bench;

import dev.keyescrow.core.sharing.internal.Gf256;
import java.util.SplittableRandom;

/**
 * Times a row of {@value #ROW} GF(2^8) products a_i · b_i, where a is the secret operand (all
 * zero in class 0, random in class 1) and b is random in both classes. A row, not one product,
 * is one timed call: a single product takes a few nanoseconds, well under the cost and jitter of
 * {@code System.nanoTime()}.
 */
final class MultiplyProbe implements TimingProbe {
    static final int ROW = 32;

    /** The multiplication under test. */
    interface Multiply {
        int mul(int a, int b);
    }

    private final String name;
    private final Multiply multiply;
    private final int[] secret;
    private final int[] other;

    private MultiplyProbe(String name, Multiply multiply, int slots) {
        this.name = name;
        this.multiply = multiply;
        this.secret = new int[slots * ROW];
        this.other = new int[slots * ROW];
    }

    static MultiplyProbe ours(int slots) {
        return new MultiplyProbe("Gf256.mul (core), row of " + ROW, Gf256::mul, slots);
    }

    static MultiplyProbe leakyControl(int slots) {
        return new MultiplyProbe("LeakyTableMultiply (control), row of " + ROW, LeakyTableMultiply::mul, slots);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prepare(int slot, int sampleClass, SplittableRandom random) {
        for (int i = slot * ROW; i < (slot + 1) * ROW; i++) {
            secret[i] = sampleClass == 0 ? 0 : random.nextInt(256);
            other[i] = random.nextInt(256);
        }
    }

    @Override
    public int run(int slot) {
        int acc = 0;
        for (int i = slot * ROW; i < (slot + 1) * ROW; i++) {
            acc ^= multiply.mul(secret[i], other[i]);
        }
        return acc;
    }
}
