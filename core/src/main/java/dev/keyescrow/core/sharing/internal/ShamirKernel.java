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
     * @param coefficients (threshold - 1) · L uniformly random bytes: coefficient k of byte j
     *                     is {@code coefficients[(k - 1) · L + j]}
     * @param xs           distinct non-zero x-coordinates
     * @param outputs      one array of length L per x-coordinate
     */
    public static void split(byte[] secret, byte[] coefficients, int threshold, int[] xs, byte[][] outputs) {
        int length = secret.length;
        int shares = xs.length;
        int degree = threshold - 1;
        // powers[i][k - 1] multiplies by xs[i]^k
        LaneMultiplier[][] powers = new LaneMultiplier[shares][degree];
        for (int i = 0; i < shares; i++) {
            int power = 1;
            for (int k = 0; k < degree; k++) {
                power = Gf256.mul(power, xs[i]);
                powers[i][k] = new LaneMultiplier(power);
            }
        }
        int whole = length & ~7;
        long[] acc = new long[shares];
        for (int j = 0; j < whole; j += 8) {
            long a0 = (long) LONGS.get(secret, j);
            Arrays.fill(acc, a0);
            for (int k = 0; k < degree; k++) {
                long ak = (long) LONGS.get(coefficients, k * length + j);
                for (int i = 0; i < shares; i++) {
                    acc[i] ^= powers[i][k].multiply(ak);
                }
            }
            for (int i = 0; i < shares; i++) {
                LONGS.set(outputs[i], j, acc[i]);
            }
        }
        if (whole < length) {
            int rest = length - whole;
            byte[] tail = new byte[8];
            System.arraycopy(secret, whole, tail, 0, rest);
            Arrays.fill(acc, (long) LONGS.get(tail, 0));
            for (int k = 0; k < degree; k++) {
                Arrays.fill(tail, (byte) 0);
                System.arraycopy(coefficients, k * length + whole, tail, 0, rest);
                long ak = (long) LONGS.get(tail, 0);
                for (int i = 0; i < shares; i++) {
                    acc[i] ^= powers[i][k].multiply(ak);
                }
            }
            for (int i = 0; i < shares; i++) {
                LONGS.set(tail, 0, acc[i]);
                System.arraycopy(tail, 0, outputs[i], whole, rest);
            }
            Arrays.fill(tail, (byte) 0);
        }
        Arrays.fill(acc, 0L);
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
