package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointPreCompInfo;
import org.bouncycastle.math.ec.FixedPointUtil;

/**
 * P-256 points and ECDH for the software side. Peer points are validated (uncompressed,
 * on the curve, not the identity) before any multiplication: an invalid-curve point would
 * otherwise leak bits of the private scalar.
 *
 * <p>Side channels. The private scalar is handled as bytes and 32-bit words, never as a
 * {@link BigInteger} in this class, and is zeroed after use:
 * <ul>
 *   <li>{@code d·P} (ECDH) runs in the JDK's SunEC, whose pure-Java P-256 (JDK 12 and later)
 *       is written to be constant-time: fixed-width field elements, a fixed 4-bit window
 *       whose table is read by a conditional copy of every entry, complete addition
 *       formulas. The scalar enters it as a PKCS#8 encoding, not as a {@code BigInteger}. Bouncy Castle's
 *       {@code ECPoint.multiply} (WNAF) is variable-time and is not used on secrets.</li>
 *   <li>{@code d·G} (public keys, KCVs) is Bouncy Castle's fixed-point comb: a fixed
 *       sequence of doublings and additions with table entries chosen by a constant-time
 *       lookup. The comb loop is repeated here (as in {@code FixedPointCombMultiplier}) so
 *       that it reads the scalar's bits from words this class zeroes; the BC entry point
 *       accepts only a {@code BigInteger}, which cannot be zeroed.</li>
 * </ul>
 * What stays out of reach: SunEC copies the scalar into its key object and (JDK 17) into a
 * {@code BigInteger} inside the key agreement; BC's point arithmetic leaves intermediate
 * points on the heap. Both are garbage, not zeroed.
 */
public final class P256 {
    public static final int PUBLIC_KEY_LENGTH = 65;
    /** DER of the named-curve OID 1.2.840.10045.3.1.7, the CKA_EC_PARAMS of P-256. */
    public static final byte[] EC_PARAMS = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    static final X9ECParameters CURVE = CustomNamedCurves.getByName("P-256");
    private static final int SCALAR_LENGTH = 32;
    /** The group order n as eight little-endian 32-bit words. */
    private static final int[] ORDER = words(CURVE.getN());
    /**
     * PKCS#8 PrivateKeyInfo of a P-256 key up to its 32 scalar bytes: version 0, algorithm
     * id-ecPublicKey with prime256v1, and the RFC 5915 ECPrivateKey (version 1, privateKey).
     */
    private static final byte[] PKCS8_PREFIX = {0x30, 0x41, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a,
        (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d,
        0x03, 0x01, 0x07, 0x04, 0x27, 0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20};
    private static final String JDK_EC = "SunEC";
    private static final ECParameterSpec JDK_PARAMETERS = jdkParameters();

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

    /** The public key of a 32-byte private scalar: {@code d·G} by the fixed-point comb. */
    public static byte[] publicKeyOf(SecretBytes privateKey) {
        int[] d = scalarWords(privateKey);
        try {
            return combMultiply(CURVE.getG(), d).normalize().getEncoded(false);
        } finally {
            Arrays.fill(d, 0);
        }
    }

    /** Z: the 32-byte big-endian x-coordinate of d · peer (what CKM_ECDH1_DERIVE with CKD_NULL yields). */
    public static SecretBytes sharedSecret(SecretBytes privateKey, byte[] peerPublicKey) throws InvalidPeerKeyException {
        ECPoint peer = decode(peerPublicKey);
        int[] check = scalarWords(privateKey);
        Arrays.fill(check, 0);
        byte[] pkcs8 = new byte[PKCS8_PREFIX.length + SCALAR_LENGTH];
        byte[] z = new byte[SCALAR_LENGTH];
        try {
            System.arraycopy(PKCS8_PREFIX, 0, pkcs8, 0, PKCS8_PREFIX.length);
            privateKey.copyTo(SecretAccess.plaintext(), pkcs8, PKCS8_PREFIX.length);
            KeyFactory factory = KeyFactory.getInstance("EC", jdkEc());
            PrivateKey d = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey p = factory.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
                    peer.getAffineXCoord().toBigInteger(), peer.getAffineYCoord().toBigInteger()), JDK_PARAMETERS));
            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH", jdkEc());
            ecdh.init(d);
            ecdh.doPhase(p, true);
            if (ecdh.generateSecret(z, 0) != SCALAR_LENGTH) {
                throw new BugException("P-256 ECDH did not give 32 bytes");
            }
            return SecretBytes.moveFrom(z);
        } catch (GeneralSecurityException e) {
            // the point was validated above and the scalar range-checked: the JDK must accept both
            throw new BugException("the JDK's P-256 ECDH refused validated keys", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
            Arrays.fill(z, (byte) 0);
        }
    }

    /** A uniformly random private scalar in [1, n-1], by rejection (a 32-byte draw is out of range with p < 2^-32). */
    public static SecretBytes generatePrivateKey(SecureRandom random) {
        byte[] candidate = new byte[SCALAR_LENGTH];
        int[] words = new int[8];
        try {
            while (true) {
                random.nextBytes(candidate);
                toWords(candidate, words);
                if (inRange(words)) {
                    return SecretBytes.moveFrom(candidate);
                }
            }
        } finally {
            Arrays.fill(candidate, (byte) 0);
            Arrays.fill(words, 0);
        }
    }

    /**
     * The scalar as eight little-endian 32-bit words, checked to lie in [1, n-1] without a
     * data-dependent branch before the verdict. The caller zeroes the result.
     */
    static int[] scalarWords(SecretBytes privateKey) {
        if (privateKey.length() != SCALAR_LENGTH) {
            throw new IllegalArgumentException("P-256 private key must be 32 bytes");
        }
        byte[] raw = privateKey.toByteArray(SecretAccess.plaintext());
        int[] words = new int[8];
        try {
            toWords(raw, words);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        if (!inRange(words)) {
            Arrays.fill(words, 0);
            throw new IllegalArgumentException("P-256 private key is out of range");
        }
        return words;
    }

    private static void toWords(byte[] bigEndian, int[] words) {
        for (int i = 0; i < 8; i++) {
            int o = SCALAR_LENGTH - 4 * (i + 1);
            words[i] = (bigEndian[o] & 0xff) << 24 | (bigEndian[o + 1] & 0xff) << 16 | (bigEndian[o + 2] & 0xff) << 8
                    | (bigEndian[o + 3] & 0xff);
        }
    }

    /** 0 < k < n, in constant time: the borrow of k - n, and the OR of every word. */
    private static boolean inRange(int[] k) {
        long borrow = 0;
        int any = 0;
        for (int i = 0; i < 8; i++) {
            borrow = ((k[i] & 0xffffffffL) - (ORDER[i] & 0xffffffffL) + borrow) >> 32;
            any |= k[i];
        }
        int below = (int) borrow; // -1 if k < n, else 0
        int nonZero = (any | -any) >> 31; // -1 if any bit is set, else 0
        return (below & nonZero) != 0;
    }

    private static int[] words(BigInteger value) {
        byte[] raw = new byte[SCALAR_LENGTH];
        byte[] b = value.toByteArray();
        int n = Math.min(b.length, SCALAR_LENGTH);
        System.arraycopy(b, b.length - n, raw, SCALAR_LENGTH - n, n);
        int[] w = new int[8];
        toWords(raw, w);
        return w;
    }

    /**
     * {@code k·p} by Bouncy Castle's fixed-point comb ({@code FixedPointCombMultiplier.multiplyPositive},
     * same table, same loop), reading {@code k}'s bits from little-endian words.
     */
    private static ECPoint combMultiply(ECPoint p, int[] k) {
        ECCurve curve = p.getCurve();
        int size = FixedPointUtil.getCombSize(curve);
        FixedPointPreCompInfo info = FixedPointUtil.precompute(p);
        ECLookupTable table = info.getLookupTable();
        int width = info.getWidth();
        int d = (size + width - 1) / width;
        int fullComb = d * width;
        int[] bits = new int[(fullComb + 31) >>> 5];
        System.arraycopy(k, 0, bits, 0, Math.min(k.length, bits.length));
        try {
            ECPoint r = curve.getInfinity();
            int top = fullComb - 1;
            for (int i = 0; i < d; ++i) {
                int index = 0;
                for (int j = top - i; j >= 0; j -= d) {
                    int bit = bits[j >>> 5] >>> (j & 0x1F);
                    index ^= bit >>> 1;
                    index <<= 1;
                    index ^= bit;
                }
                r = r.twicePlus(table.lookup(index));
            }
            return ECAlgorithms.validatePoint(r.add(info.getOffset()));
        } finally {
            Arrays.fill(bits, 0);
        }
    }

    private static Provider jdkEc() {
        Provider provider = Security.getProvider(JDK_EC);
        if (provider == null) {
            throw new BugException("the JDK's " + JDK_EC + " provider is not installed");
        }
        return provider;
    }

    private static ECParameterSpec jdkParameters() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC", jdkEc());
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK's " + JDK_EC + " has no P-256", e);
        }
    }
}
