package dev.keyescrow.core.signature;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.error.SignatureException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA over P-256 with SHA-256, the signatures of nodes and the coordinator. Public keys
 * are uncompressed SEC1 points (65 bytes); signatures are exactly 64 bytes, r ‖ s
 * (IEEE P1363), each in [1, n-1]. Verified with Bouncy Castle after the length check.
 * ECDSA signatures are malleable: never use their bytes to detect duplicates.
 */
public final class EcdsaP256 {
    public static final int PUBLIC_KEY_LENGTH = 65;
    public static final int SIGNATURE_LENGTH = 64;
    static final X9ECParameters CURVE = CustomNamedCurves.getByName("P-256");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(),
            CURVE.getH());

    private EcdsaP256() {
    }

    /**
     * Verifies {@code signature} over SHA-256({@code message}) under {@code publicKey}.
     *
     * @throws SignatureException if the key is not a valid uncompressed P-256 point, the
     *                            signature is not 64 bytes with r, s in [1, n-1], or it does not verify
     */
    public static void verify(byte[] publicKey, byte[] message, byte[] signature) throws SignatureException {
        Objects.requireNonNull(message, "message");
        ECPoint point = decodePublicKey(publicKey);
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            throw new SignatureException("ECDSA P-256 signature must be exactly " + SIGNATURE_LENGTH + " bytes (r || s)");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        BigInteger n = DOMAIN.getN();
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            throw new SignatureException("ECDSA P-256 signature has r or s out of range");
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(point, DOMAIN));
        if (!verifier.verifySignature(sha256(message), r, s)) {
            throw new SignatureException("ECDSA P-256 signature does not verify");
        }
    }

    /** Fingerprint of a public key: lowercase hex SHA-256 of its 65-byte encoding. */
    public static String fingerprint(byte[] publicKey) throws SignatureException {
        decodePublicKey(publicKey);
        return HexFormat.of().formatHex(sha256(publicKey));
    }

    static ECPoint decodePublicKey(byte[] publicKey) throws SignatureException {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH || publicKey[0] != 0x04) {
            throw new SignatureException("P-256 public key must be a 65-byte uncompressed point (0x04 || X || Y)");
        }
        try {
            ECPoint point = DOMAIN.getCurve().decodePoint(publicKey);
            if (point.isInfinity() || !point.isValid()) {
                throw new SignatureException("P-256 public key is not a valid curve point");
            }
            return point;
        } catch (IllegalArgumentException e) {
            throw new SignatureException("P-256 public key is not a valid curve point");
        }
    }

    static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no SHA-256", e);
        }
    }
}
