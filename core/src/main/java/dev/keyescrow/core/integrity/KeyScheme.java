package dev.keyescrow.core.integrity;

/**
 * How a key's shares work. {@code SHAMIR}: byte-wise Shamir over GF(2^8); a use rebuilds
 * the key after {@code t} releases. {@code FROST}: shares are scalars modulo the Ed25519
 * group order (RFC 9591); the key signs by the FROST protocol and is never rebuilt.
 */
public enum KeyScheme {
    SHAMIR,
    FROST;

    /** The scheme named {@code name}, or {@link IllegalArgumentException}. */
    public static KeyScheme fromWireName(String name) {
        for (KeyScheme s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scheme: must be SHAMIR or FROST");
    }
}
