package dev.keyescrow.core.signature;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * A P-256 {@link Signer} whose private key lives in memory: for the development vault and
 * for tests, never for production keys (those stay in a token). Nonces are deterministic
 * (RFC 6979), so signing needs no randomness. Signatures are normalised to low s.
 */
public final class SoftwareP256Signer implements Signer {
    private final SecretBytes privateKey;
    private final byte[] publicKey;

    private SoftwareP256Signer(SecretBytes privateKey) {
        this.privateKey = privateKey;
        BigInteger d = scalar();
        this.publicKey = new FixedPointCombMultiplier().multiply(EcdsaP256.DOMAIN.getG(), d).normalize()
                .getEncoded(false);
    }

    /** A fresh key pair. */
    public static SoftwareP256Signer generate(SecureRandom random) {
        BigInteger n = EcdsaP256.DOMAIN.getN();
        BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random);
        byte[] raw = BigIntegers.asUnsignedByteArray(32, d);
        return new SoftwareP256Signer(SecretBytes.moveFrom(raw));
    }

    /** A signer for an existing 32-byte private scalar (big-endian), which is copied. */
    public static SoftwareP256Signer fromPrivateKey(SecretBytes privateKey) {
        if (privateKey.length() != 32) {
            throw new IllegalArgumentException("P-256 private key must be 32 bytes");
        }
        byte[] raw = privateKey.toByteArray(SecretAccess.plaintext());
        BigInteger d = new BigInteger(1, raw);
        if (d.signum() == 0 || d.compareTo(EcdsaP256.DOMAIN.getN()) >= 0) {
            Arrays.fill(raw, (byte) 0);
            throw new IllegalArgumentException("P-256 private key is out of range");
        }
        return new SoftwareP256Signer(SecretBytes.moveFrom(raw));
    }

    /** The private scalar, for storing it in the development vault. */
    public SecretBytes privateKey() {
        return privateKey;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] sign(byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(scalar(), EcdsaP256.DOMAIN));
        BigInteger[] rs = signer.generateSignature(EcdsaP256.sha256(message));
        BigInteger n = EcdsaP256.DOMAIN.getN();
        BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
        byte[] out = new byte[EcdsaP256.SIGNATURE_LENGTH];
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[0]), 0, out, 0, 32);
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, out, 32, 32);
        return out;
    }

    private BigInteger scalar() {
        byte[] raw = privateKey.toByteArray(SecretAccess.plaintext());
        try {
            return new BigInteger(1, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "SoftwareP256Signer[private key redacted]";
    }
}
