package dev.keyescrow.hsm;

import dev.keyescrow.core.format.Identifiers;

/**
 * Which share a blob holds: key id, key version, Shamir index (the public x-coordinate)
 * and the value's length in bytes. Public metadata kept beside each blob; the length is
 * needed because SoftHSM2 2.6 returns odd-length values zero-padded (see
 * {@code docs/spec/kdf.md}). All four are bound into the transport KEKs.
 */
public record ShareRef(String keyId, int version, int index, int length) {
    public static final int MAX_LENGTH = 65_536;

    public ShareRef {
        Identifiers.require(keyId, "keyId");
        if (version < 1) {
            throw new IllegalArgumentException("version " + version + " is invalid: must be >= 1");
        }
        if (index < 1 || index > 255) {
            throw new IllegalArgumentException("index " + index + " is invalid: must be in [1, 255]");
        }
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length " + length + " is invalid: must be in [1, " + MAX_LENGTH + "]");
        }
    }

    /** {@code keyId/version/index}, for messages and logs (public values only). */
    public String label() {
        return keyId + "/" + version + "/" + index;
    }
}
