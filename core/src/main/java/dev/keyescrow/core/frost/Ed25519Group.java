package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.CompressedEdwardsY;
import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.EdwardsPoint;
import cafe.cryptography.curve25519.InvalidEncodingException;
import cafe.cryptography.curve25519.Scalar;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The prime-order group of edwards25519 as RFC 9591 section 6.5 uses it, over
 * curve25519-elisabeth (constant-time scalar multiplication and scalar arithmetic).
 */
final class Ed25519Group {
    /** Serialized sizes (RFC 9591: Ne = Ns = 32). */
    static final int ELEMENT_SIZE = 32;
    static final int SCALAR_SIZE = 32;

    /** The group order L = 2^252 + 27742317777372353535851937790883648493. */
    static final BigInteger ORDER = BigInteger.ONE.shiftLeft(252)
            .add(new BigInteger("27742317777372353535851937790883648493"));

    private Ed25519Group() {
    }

    /**
     * DeserializeElement: canonical compressed encoding only (re-encoding must give the
     * same bytes, which refuses y >= p and a "negative zero" x), not the identity, and
     * in the prime-order subgroup.
     */
    static EdwardsPoint decodeElement(byte[] encoded) {
        if (encoded == null || encoded.length != ELEMENT_SIZE) {
            throw new IllegalArgumentException("a group element is 32 bytes");
        }
        EdwardsPoint point;
        try {
            point = new CompressedEdwardsY(encoded.clone()).decompress();
        } catch (InvalidEncodingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a point of edwards25519");
        }
        if (!Arrays.equals(point.compress().toByteArray(), encoded)) {
            throw new IllegalArgumentException("non-canonical point encoding");
        }
        if (point.isIdentity()) {
            throw new IllegalArgumentException("the identity element is refused");
        }
        if (!point.isTorsionFree()) {
            throw new IllegalArgumentException("point is not in the prime-order subgroup");
        }
        return point;
    }

    /** SerializeElement; the identity has no valid encoding here, as in RFC 9591. */
    static byte[] encodeElement(EdwardsPoint point) {
        if (point.isIdentity()) {
            throw new IllegalArgumentException("the identity element cannot be serialized");
        }
        return point.compress().toByteArray();
    }

    /** DeserializeScalar: 32 bytes little-endian, strictly below the group order. */
    static Scalar decodeScalar(byte[] encoded) {
        if (encoded == null || encoded.length != SCALAR_SIZE) {
            throw new IllegalArgumentException("a scalar is 32 bytes");
        }
        try {
            return Scalar.fromCanonicalBytes(encoded.clone());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scalar is not below the group order");
        }
    }

    /** ScalarBaseMult, constant time in the scalar (fixed-window table with constant-time lookups). */
    static EdwardsPoint baseMul(Scalar scalar) {
        return Constants.ED25519_BASEPOINT_TABLE.multiply(scalar);
    }

    /** A 64-byte digest reduced modulo L, read little-endian (RFC 9591 H1, H3; RFC 8032's k). */
    static Scalar reduceWide(byte[] digest64) {
        return Scalar.fromBytesModOrderWide(digest64);
    }

    /** The scalar of a small public integer (participant identifiers). */
    static Scalar scalarOf(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative");
        }
        byte[] bytes = new byte[SCALAR_SIZE];
        bytes[0] = (byte) value;
        bytes[1] = (byte) (value >>> 8);
        bytes[2] = (byte) (value >>> 16);
        bytes[3] = (byte) (value >>> 24);
        return Scalar.fromCanonicalBytes(bytes);
    }

    /** The inverse of a public nonzero scalar (Lagrange denominators are public: identifiers only). */
    static Scalar invertPublic(Scalar scalar) {
        BigInteger value = new BigInteger(1, reverse(scalar.toByteArray()));
        if (value.signum() == 0) {
            throw new ArithmeticException("zero has no inverse");
        }
        byte[] big = value.modInverse(ORDER).toByteArray();
        byte[] little = new byte[SCALAR_SIZE];
        for (int i = 0; i < Math.min(big.length, SCALAR_SIZE); i++) {
            little[i] = big[big.length - 1 - i];
        }
        return Scalar.fromCanonicalBytes(little);
    }

    /** Constant-time equality of two points. */
    static boolean sameElement(EdwardsPoint a, EdwardsPoint b) {
        return MessageDigest.isEqual(a.compress().toByteArray(), b.compress().toByteArray());
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
