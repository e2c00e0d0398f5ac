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

    private final long p0;
    private final long p1;
    private final long p2;
    private final long p3;
    private final long p4;
    private final long p5;
    private final long p6;
    private final long p7;

    public LaneMultiplier(int constant) {
        p0 = Gf256.mul(constant, 0x01);
        p1 = Gf256.mul(constant, 0x02);
        p2 = Gf256.mul(constant, 0x04);
        p3 = Gf256.mul(constant, 0x08);
        p4 = Gf256.mul(constant, 0x10);
        p5 = Gf256.mul(constant, 0x20);
        p6 = Gf256.mul(constant, 0x40);
        p7 = Gf256.mul(constant, 0x80);
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
