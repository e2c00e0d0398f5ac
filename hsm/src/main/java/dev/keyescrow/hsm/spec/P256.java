package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * P-256 points and ECDH for the software side. Peer points are validated (uncompressed,
 * on the curve, not the identity) before any multiplication: an invalid-curve point would
 * otherwise leak bits of the private scalar.
 */
public final class P256 {
    public static final int PUBLIC_KEY_LENGTH = 65;
    /** DER of the named-curve OID 1.2.840.10045.3.1.7, the CKA_EC_PARAMS of P-256. */
    public static final byte[] EC_PARAMS = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    static final X9ECParameters CURVE = CustomNamedCurves.getByName("P-256");

    private P256() {
    }

    /**
     * Checks a peer public key.
     *
     * @throws InvalidPeerKeyException if it is not a 65-byte uncompressed point on P-256
     */
    public static ECPoint decode(byte[] publicKey) throws InvalidPeerKeyException {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH || publicKey[0] != 0x04) {
            throw new InvalidPeerKeyException("P-256 public key must be a 65-byte uncompressed point (0x04 || X || Y)");
        }
        try {
            ECPoint point = CURVE.getCurve().decodePoint(publicKey);
            if (point.isInfinity() || !point.isValid()) {
                throw new InvalidPeerKeyException("P-256 public key is not a valid curve point");
            }
            return point;
        } catch (IllegalArgumentException e) {
            throw new InvalidPeerKeyException("P-256 public key is not a valid curve point");
        }
    }

    /** The public key of a 32-byte private scalar. */
    public static byte[] publicKeyOf(SecretBytes privateKey) {
        BigInteger d = scalar(privateKey);
        return new FixedPointCombMultiplier().multiply(CURVE.getG(), d).normalize().getEncoded(false);
    }

    /** Z: the 32-byte big-endian x-coordinate of d · peer (what CKM_ECDH1_DERIVE with CKD_NULL yields). */
    public static SecretBytes sharedSecret(SecretBytes privateKey, byte[] peerPublicKey) throws InvalidPeerKeyException {
        ECPoint peer = decode(peerPublicKey);
        ECPoint shared = peer.multiply(scalar(privateKey)).normalize();
        if (shared.isInfinity()) {
            throw new BugException("ECDH with a validated prime-order point gave the identity");
        }
        return SecretBytes.moveFrom(shared.getAffineXCoord().getEncoded());
    }

    /** A uniformly random private scalar in [1, n-1]. */
    public static SecretBytes generatePrivateKey(java.security.SecureRandom random) {
        BigInteger n = CURVE.getN();
        BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random);
        return SecretBytes.moveFrom(BigIntegers.asUnsignedByteArray(32, d));
    }

    static BigInteger scalar(SecretBytes privateKey) {
        if (privateKey.length() != 32) {
            throw new IllegalArgumentException("P-256 private key must be 32 bytes");
        }
        byte[] raw = privateKey.toByteArray(SecretAccess.plaintext());
        try {
            BigInteger d = new BigInteger(1, raw);
            if (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0) {
                throw new IllegalArgumentException("P-256 private key is out of range");
            }
            return d;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
