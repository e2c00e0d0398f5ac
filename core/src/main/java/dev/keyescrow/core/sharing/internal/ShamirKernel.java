package dev.keyescrow.core.sharing.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The arithmetic of Shamir sharing on byte arrays, eight bytes per {@code long}.
 *
 * <p>Split evaluates, for every byte position, the polynomial
 * a0 + a1·x + ... + a(t-1)·x^(t-1) at each public x-coordinate; combine evaluates the
 * Lagrange interpolation at 0 (or at another public point, to check extra shares).
 * Every multiplication has one public operand (a power of an x-coordinate or a Lagrange
 * coefficient), done by {@link LaneMultiplier}. Callers validate arguments; temporaries
 * holding coefficients or share values are zeroed here.
 */
public final class ShamirKernel {
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ShamirKernel() {
    }

    /**
     * Fills {@code outputs[i]} with the share at {@code xs[i]}.
     *
     * @param secret       the secret, length L
     * @param coefficients (threshold - 1) · L uniformly random bytes from {@code offset}: coefficient
     *                     k of byte j is {@code coefficients[offset + (k - 1) · L + j]}
     * @param xs           distinct non-zero x-coordinates
     * @param outputs      one array of length L per x-coordinate
     */
    public static void split(byte[] secret, byte[] coefficients, int offset, int threshold, int[] xs,
                             byte[][] outputs) {
        int length = secret.length;
        int shares = xs.length;
        int degree = threshold - 1;
        // planes[(i * degree + k) * 8 + b] = xs[i]^(k+1) · x^b: public constants only
        long[] planes = new long[shares * degree * 8];
        for (int i = 0; i < shares; i++) {
            int power = 1;
            for (int k = 0; k < degree; k++) {
                power = Gf256.mul(power, xs[i]);
                System.arraycopy(LaneMultiplier.PLANES, power * 8, planes, (i * degree + k) * 8, 8);
            }
        }
        long[] acc = new long[shares];
        byte[] tail = new byte[8];
        for (int j = 0; j < length; j += 8) {
            int rest = Math.min(8, length - j);
            Arrays.fill(acc, load(secret, j, rest, tail));
            for (int k = 0; k < degree; k++) {
                long ak = load(coefficients, offset + k * length + j, rest, tail);
                // the bit planes of eight coefficient lanes, computed once and shared by every share
                long m0 = ak & LaneMultiplier.LOW_BITS;
                long m1 = (ak >>> 1) & LaneMultiplier.LOW_BITS;
                long m2 = (ak >>> 2) & LaneMultiplier.LOW_BITS;
                long m3 = (ak >>> 3) & LaneMultiplier.LOW_BITS;
                long m4 = (ak >>> 4) & LaneMultiplier.LOW_BITS;
                long m5 = (ak >>> 5) & LaneMultiplier.LOW_BITS;
                long m6 = (ak >>> 6) & LaneMultiplier.LOW_BITS;
                long m7 = (ak >>> 7) & LaneMultiplier.LOW_BITS;
                for (int i = 0; i < shares; i++) {
                    int o = (i * degree + k) * 8;
                    acc[i] ^= m0 * planes[o] ^ m1 * planes[o + 1] ^ m2 * planes[o + 2] ^ m3 * planes[o + 3]
                            ^ m4 * planes[o + 4] ^ m5 * planes[o + 5] ^ m6 * planes[o + 6] ^ m7 * planes[o + 7];
                }
            }
            for (int i = 0; i < shares; i++) {
                store(outputs[i], j, rest, acc[i], tail);
            }
        }
        Arrays.fill(acc, 0L);
        Arrays.fill(tail, (byte) 0);
    }

    private static long load(byte[] array, int at, int count, byte[] tail) {
        if (count == 8) {
            return (long) LONGS.get(array, at);
        }
        Arrays.fill(tail, (byte) 0);
        System.arraycopy(array, at, tail, 0, count);
        return (long) LONGS.get(tail, 0);
    }

    private static void store(byte[] array, int at, int count, long value, byte[] tail) {
        if (count == 8) {
            LONGS.set(array, at, value);
            return;
        }
        LONGS.set(tail, 0, value);
        System.arraycopy(tail, 0, array, at, count);
    }

    /**
     * Evaluates at {@code point} the polynomial through (xs[i], values[i]) into {@code output};
     * {@code point} 0 reconstructs the secret.
     */
    public static void interpolate(int point, int[] xs, byte[][] values, byte[] output) {
        int count = xs.length;
        int length = output.length;
        LaneMultiplier[] weights = new LaneMultiplier[count];
        for (int i = 0; i < count; i++) {
            weights[i] = new LaneMultiplier(lagrangeWeight(point, xs, i));
        }
        int whole = length & ~7;
        for (int j = 0; j < whole; j += 8) {
            long acc = 0;
            for (int i = 0; i < count; i++) {
                acc ^= weights[i].multiply((long) LONGS.get(values[i], j));
            }
            LONGS.set(output, j, acc);
        }
        if (whole < length) {
            int rest = length - whole;
            byte[] tail = new byte[8];
            long acc = 0;
            for (int i = 0; i < count; i++) {
                System.arraycopy(values[i], whole, tail, 0, rest);
                acc ^= weights[i].multiply((long) LONGS.get(tail, 0));
            }
            LONGS.set(tail, 0, acc);
            System.arraycopy(tail, 0, output, whole, rest);
            Arrays.fill(tail, (byte) 0);
        }
    }

    /** The Lagrange basis polynomial of xs[i], evaluated at point: prod over j != i of (point - xj) / (xi - xj). */
    static int lagrangeWeight(int point, int[] xs, int i) {
        int numerator = 1;
        int denominator = 1;
        for (int j = 0; j < xs.length; j++) {
            if (j != i) {
                numerator = Gf256.mul(numerator, point ^ xs[j]);
                denominator = Gf256.mul(denominator, xs[i] ^ xs[j]);
            }
        }
        return Gf256.div(numerator, denominator);
    }
}
