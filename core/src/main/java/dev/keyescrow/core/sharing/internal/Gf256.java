package dev.keyescrow.core.sharing.internal;

/**
 * Scalar arithmetic in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1 (0x11B).
 *
 * <p>Threat model: an attacker who observes timing, cache behaviour or branch prediction
 * of the process while it splits or combines must learn nothing about share values or the
 * secret. Log/exp tables leak through the cache, and early exits leak through timing, so
 * {@link #mul} runs a fixed eight rounds of shift, mask and XOR, and {@link #inverse} is a
 * fixed addition chain for a^254. Both cost the same for every input, zero included.
 * Elements are ints in [0, 255].
 */
public final class Gf256 {
    /** The reduction polynomial, bit 8 included. */
    public static final int POLYNOMIAL = 0x11B;

    private Gf256() {
    }

    /** a + b (and a - b): XOR. */
    public static int add(int a, int b) {
        return a ^ b;
    }

    /** a · b, branch-free and table-free. */
    public static int mul(int a, int b) {
        int result = 0;
        int x = a & 0xFF;
        int y = b & 0xFF;
        for (int i = 0; i < 8; i++) {
            result ^= -(y & 1) & x;
            y >>>= 1;
            int carry = -((x >>> 7) & 1);
            x = ((x << 1) ^ (carry & POLYNOMIAL)) & 0xFF;
        }
        return result;
    }

    /** a^-1 as a^254 (so inverse(0) is 0): a fixed chain of squarings and products. */
    public static int inverse(int a) {
        int a2 = mul(a, a);
        int a3 = mul(a2, a);
        int a6 = mul(a3, a3);
        int a12 = mul(a6, a6);
        int a15 = mul(a12, a3);
        int a30 = mul(a15, a15);
        int a60 = mul(a30, a30);
        int a120 = mul(a60, a60);
        int a126 = mul(a120, a6);
        int a127 = mul(a126, a);
        return mul(a127, a127);
    }

    /** a / b for b != 0. */
    public static int div(int a, int b) {
        return mul(a, inverse(b));
    }
}
