package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A secret polynomial over the scalars modulo L, constant term first. Evaluated only at
 * public points (participant identifiers), with constant-time scalar arithmetic.
 */
final class Polynomial implements AutoCloseable {
    private final List<SecretScalar> coefficients;

    private Polynomial(List<SecretScalar> coefficients) {
        this.coefficients = coefficients;
    }

    /** {@code constant} (taken, not copied) plus t - 1 random coefficients. */
    static Polynomial random(SecretScalar constant, int threshold, SecureRandom random) {
        List<SecretScalar> coefficients = new ArrayList<>(threshold);
        coefficients.add(constant);
        for (int k = 1; k < threshold; k++) {
            coefficients.add(randomScalar(random));
        }
        return new Polynomial(coefficients);
    }

    /** A polynomial with the given coefficients (taken, not copied): the RFC's vectors. */
    static Polynomial of(List<SecretScalar> coefficients) {
        if (coefficients.isEmpty()) {
            throw new IllegalArgumentException("empty polynomial");
        }
        return new Polynomial(new ArrayList<>(coefficients));
    }

    /** A uniform scalar: 64 random bytes reduced modulo L (bias below 2^-250). */
    static SecretScalar randomScalar(SecureRandom random) {
        byte[] wide = new byte[64];
        try {
            random.nextBytes(wide);
            return SecretScalar.of(Ed25519Group.reduceWide(wide));
        } finally {
            java.util.Arrays.fill(wide, (byte) 0);
        }
    }

    int threshold() {
        return coefficients.size();
    }

    SecretScalar constantTerm() {
        return coefficients.get(0);
    }

    /** f(id) by Horner's rule. */
    SecretScalar evaluate(ParticipantId id) {
        Scalar x = Ed25519Group.scalarOf(id.value());
        Scalar acc = Scalar.ZERO;
        for (int k = coefficients.size() - 1; k >= 0; k--) {
            acc = acc.multiplyAndAdd(x, coefficients.get(k).scalar());
        }
        return SecretScalar.of(acc);
    }

    /** The Feldman commitment {@code a_k * G}, constant term first. */
    VssCommitment commit() {
        List<GroupElement> points = new ArrayList<>(coefficients.size());
        for (SecretScalar coefficient : coefficients) {
            points.add(GroupElement.of(Ed25519Group.baseMul(coefficient.scalar())));
        }
        return new VssCommitment(points);
    }

    @Override
    public void close() {
        coefficients.forEach(SecretScalar::destroy);
    }

    @Override
    public String toString() {
        return "Polynomial[degree " + (coefficients.size() - 1) + ", redacted]";
    }
}
