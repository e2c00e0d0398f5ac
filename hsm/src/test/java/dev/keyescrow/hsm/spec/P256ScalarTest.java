package dev.keyescrow.hsm.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

/**
 * The constant-time paths of {@link P256} (the comb on 32-bit words for {@code d·G}, SunEC
 * for {@code d·P}, the word-wise range check, rejection sampling) give exactly the bytes of
 * Bouncy Castle's reference arithmetic, which they replaced: on the edges of the scalar
 * range and on random scalars.
 */
class P256ScalarTest {
    private static final BigInteger N = P256.CURVE.getN();
    private final SecureRandom random = new SecureRandom();

    private List<BigInteger> scalars() {
        List<BigInteger> out = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(0xffffffffL),
                BigInteger.ONE.shiftLeft(32), BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(224).subtract(
                        BigInteger.ONE), N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO), N.shiftRight(1)));
        for (int i = 0; i < 40; i++) {
            out.add(BigIntegers.createRandomInRange(BigInteger.ONE, N.subtract(BigInteger.ONE), random));
        }
        return out;
    }

    private static SecretBytes bytes(BigInteger d) {
        return SecretBytes.moveFrom(BigIntegers.asUnsignedByteArray(32, d));
    }

    @Test
    void publicKey_equalsTheReferenceComb() {
        for (BigInteger d : scalars()) {
            byte[] expected = new FixedPointCombMultiplier().multiply(P256.CURVE.getG(), d).normalize()
                    .getEncoded(false);
            assertArrayEquals(expected, P256.publicKeyOf(bytes(d)), "d = " + d.toString(16));
        }
    }

    @Test
    void sharedSecret_equalsTheReferenceMultiply() throws Exception {
        for (BigInteger d : scalars()) {
            BigInteger other = BigIntegers.createRandomInRange(BigInteger.ONE, N.subtract(BigInteger.ONE), random);
            ECPoint peer = P256.CURVE.getG().multiply(other).normalize();
            byte[] expected = BigIntegers.asUnsignedByteArray(32,
                    peer.multiply(d).normalize().getAffineXCoord().toBigInteger());
            try (SecretBytes z = P256.sharedSecret(bytes(d), peer.getEncoded(false))) {
                assertArrayEquals(expected, z.toByteArray(SecretAccess.plaintext()), "d = " + d.toString(16));
            }
        }
    }

    @Test
    void scalarsOutsideOneToNMinusOne_areRefused() {
        byte[] peer = P256.CURVE.getG().getEncoded(false);
        for (BigInteger d : List.of(BigInteger.ZERO, N, N.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(256)
                .subtract(BigInteger.ONE))) {
            assertThrows(IllegalArgumentException.class, () -> P256.publicKeyOf(bytes(d)), d.toString(16));
            assertThrows(IllegalArgumentException.class, () -> P256.sharedSecret(bytes(d), peer), d.toString(16));
        }
        assertThrows(IllegalArgumentException.class, () -> P256.publicKeyOf(SecretBytes.copyFrom(new byte[31])));
    }

    @Test
    void generatedKeys_drawTheSameScalarsAsTheReference() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        SecureRandom ours = seeded(seed);
        SecureRandom reference = seeded(seed);
        for (int i = 0; i < 20; i++) {
            BigInteger expected = BigIntegers.createRandomInRange(BigInteger.ONE, N.subtract(BigInteger.ONE), reference);
            try (SecretBytes d = P256.generatePrivateKey(ours)) {
                assertArrayEquals(BigIntegers.asUnsignedByteArray(32, expected), d.toByteArray(SecretAccess.plaintext()));
            }
        }
    }

    private static SecureRandom seeded(byte[] seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
