package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import java.util.Collection;

/**
 * Lagrange coefficients over the scalars modulo L for a set of public identifiers:
 * lambda_i(x) = prod over j != i of (x - x_j) / (x_i - x_j). Identifiers are public, so the
 * inversion may be variable time.
 */
final class Lagrange {
    private Lagrange() {
    }

    /** RFC 9591 derive_interpolating_value: the coefficient of {@code id} at x = 0. */
    static Scalar atZero(ParticipantId id, Collection<ParticipantId> set) {
        return at(Scalar.ZERO, id, set);
    }

    static Scalar at(Scalar x, ParticipantId id, Collection<ParticipantId> set) {
        Scalar xi = Ed25519Group.scalarOf(id.value());
        Scalar numerator = Scalar.ONE;
        Scalar denominator = Scalar.ONE;
        boolean found = false;
        for (ParticipantId other : set) {
            if (other.equals(id)) {
                if (found) {
                    throw new IllegalArgumentException(id + " appears twice");
                }
                found = true;
                continue;
            }
            Scalar xj = Ed25519Group.scalarOf(other.value());
            numerator = numerator.multiply(x.subtract(xj));
            denominator = denominator.multiply(xi.subtract(xj));
        }
        if (!found) {
            throw new IllegalArgumentException(id + " is not in the set");
        }
        return numerator.multiply(Ed25519Group.invertPublic(denominator));
    }
}
