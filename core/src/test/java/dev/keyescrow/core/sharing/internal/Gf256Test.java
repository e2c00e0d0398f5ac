package dev.keyescrow.core.sharing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Gf256Test {
    /** Schoolbook carry-less product, then reduction by 0x11B: slow and obviously right. */
    private static int referenceMul(int a, int b) {
        int product = 0;
        for (int i = 0; i < 8; i++) {
            if ((b >> i & 1) != 0) {
                product ^= a << i;
            }
        }
        for (int bit = 14; bit >= 8; bit--) {
            if ((product >> bit & 1) != 0) {
                product ^= 0x11B << (bit - 8);
            }
        }
        return product;
    }

    @Test
    void mulMatchesReferenceForAllPairs() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                assertEquals(referenceMul(a, b), Gf256.mul(a, b), "mul(" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void inverseOfEveryNonZeroElement() {
        for (int a = 1; a < 256; a++) {
            assertEquals(1, Gf256.mul(a, Gf256.inverse(a)), "a * inverse(a) for a = " + a);
        }
        assertEquals(0, Gf256.inverse(0));
    }

    @Test
    void knownProductFromFips197() {
        // FIPS-197 section 4.2: {57} * {83} = {c1}
        assertEquals(0xC1, Gf256.mul(0x57, 0x83));
    }

    @Test
    void laneMultiplierMatchesScalarInEveryLane() {
        SplittableRandom random = new SplittableRandom(7);
        for (int c = 0; c < 256; c++) {
            LaneMultiplier m = new LaneMultiplier(c);
            for (int trial = 0; trial < 64; trial++) {
                long lanes = random.nextLong();
                long product = m.multiply(lanes);
                for (int lane = 0; lane < 8; lane++) {
                    int v = (int) (lanes >>> (8 * lane)) & 0xFF;
                    int p = (int) (product >>> (8 * lane)) & 0xFF;
                    assertEquals(Gf256.mul(c, v), p, "constant " + c + " lane " + lane);
                }
            }
        }
    }
}
