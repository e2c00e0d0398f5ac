package dev.keyescrow.bench;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The one kind of randomness every library gets: the JDK's DRBG, as {@code Shamir.withDrbg()}
 * uses in production. A row compares libraries, not random generators, so all three draw from
 * the same kind, one instance per benchmark state.
 */
final class Drbg {
    private Drbg() {
    }

    static SecureRandom create() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no DRBG", e);
        }
    }
}
