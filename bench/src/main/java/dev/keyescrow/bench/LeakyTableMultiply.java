package dev.keyescrow.bench;

/**
 * A deliberately leaky GF(2^8) multiply, the timing report's positive control: log/exp table
 * lookups (cache-timing) and an early return when an operand is zero (branch timing), the way
 * textbook and many library implementations multiply. If the report cannot tell this one's
 * zero inputs from random ones, it cannot tell anything; never use it for real data.
 */
final class LeakyTableMultiply {
    private static final int[] LOG = new int[256];
    private static final int[] EXP = new int[510];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            EXP[i + 255] = x;
            LOG[x] = i;
            // multiply by the generator 3 = x + 1, reducing by 0x11B
            x ^= (x << 1) ^ ((x & 0x80) != 0 ? 0x11B : 0);
        }
    }

    private LeakyTableMultiply() {
    }

    static int mul(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a & 0xFF] + LOG[b & 0xFF]];
    }
}
