package dev.keyescrow.core.sharing.internal;

/**
 * Multiplies eight GF(2^8) elements packed in a {@code long} by one public constant.
 *
 * <p>Multiplication by a constant c is linear over GF(2): c·v = XOR over bits b of v of
 * v_b·(c·x^b). For each bit plane b, {@code (v >>> b) & 0x0101..01} holds 0 or 1 per lane,
 * and multiplying it by the byte c·x^b copies that byte into exactly the lanes whose bit is
 * set, with no carry between lanes. So a product costs eight shift-mask-multiply-XOR steps,
 * the same for every value of v: no branch and no table is indexed by the secret lanes.
 * The constant (an x-coordinate power or a Lagrange coefficient) is public.
 */
public final class LaneMultiplier {
    static final long LOW_BITS = 0x0101010101010101L;

    /**
     * {@code PLANES[c * 8 + b]} = c · x^b for every constant c: a table indexed only by public
     * constants (x-coordinates, their powers, Lagrange weights), never by secret lanes.
     */
    static final long[] PLANES = new long[256 * 8];

    static {
        for (int c = 0; c < 256; c++) {
            for (int b = 0; b < 8; b++) {
                PLANES[c * 8 + b] = Gf256.mul(c, 1 << b);
            }
        }
    }

    private final long p0;
    private final long p1;
    private final long p2;
    private final long p3;
    private final long p4;
    private final long p5;
    private final long p6;
    private final long p7;

    public LaneMultiplier(int constant) {
        int at = (constant & 0xFF) * 8;
        p0 = PLANES[at];
        p1 = PLANES[at + 1];
        p2 = PLANES[at + 2];
        p3 = PLANES[at + 3];
        p4 = PLANES[at + 4];
        p5 = PLANES[at + 5];
        p6 = PLANES[at + 6];
        p7 = PLANES[at + 7];
    }

    /** The eight lanes of {@code lanes}, each multiplied by the constant. */
    public long multiply(long lanes) {
        return (lanes & LOW_BITS) * p0
                ^ ((lanes >>> 1) & LOW_BITS) * p1
                ^ ((lanes >>> 2) & LOW_BITS) * p2
                ^ ((lanes >>> 3) & LOW_BITS) * p3
                ^ ((lanes >>> 4) & LOW_BITS) * p4
                ^ ((lanes >>> 5) & LOW_BITS) * p5
                ^ ((lanes >>> 6) & LOW_BITS) * p6
                ^ ((lanes >>> 7) & LOW_BITS) * p7;
    }
}
