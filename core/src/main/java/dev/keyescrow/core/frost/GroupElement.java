package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.EdwardsPoint;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A public element of the edwards25519 prime-order group: a group public key, a
 * verification share, a nonce or coefficient commitment. Canonical 32-byte compressed
 * encoding; the identity and points outside the prime-order subgroup are refused.
 */
public final class GroupElement {
    private final byte[] encoded;
    private final EdwardsPoint point;

    private GroupElement(byte[] encoded, EdwardsPoint point) {
        this.encoded = encoded;
        this.point = point;
    }

    /** DeserializeElement with RFC 9591's validation. */
    public static GroupElement fromBytes(byte[] encoded) {
        EdwardsPoint point = Ed25519Group.decodeElement(encoded);
        return new GroupElement(encoded.clone(), point);
    }

    static GroupElement of(EdwardsPoint point) {
        return new GroupElement(Ed25519Group.encodeElement(point), point);
    }

    /** SerializeElement: compressed, 32 bytes. */
    public byte[] toBytes() {
        return encoded.clone();
    }

    EdwardsPoint point() {
        return point;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupElement that && Arrays.equals(encoded, that.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(encoded);
    }
}
