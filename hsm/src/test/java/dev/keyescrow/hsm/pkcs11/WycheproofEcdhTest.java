package dev.keyescrow.hsm.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_GENERIC_SECRET;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.spec.P256;
import dev.keyescrow.hsm.wycheproof.WycheproofCase;
import dev.keyescrow.hsm.wycheproof.WycheproofCase.Result;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;

/**
 * Wycheproof ECDH P-256 ({@code ecdh_secp256r1_test.json}, public keys as X.509 SPKI) on
 * the JCA path (SunEC), the software path ({@code hsm.spec.P256}) and the PKCS#11 path
 * (our point validation, then CKM_ECDH1_DERIVE with CKD_NULL in SoftHSM2, as
 * {@code Pkcs11Token} does). Valid cases must give the shared secret; invalid ones must be
 * refused. Our decoder accepts only uncompressed points, so "acceptable" compressed-point
 * cases may be refused.
 */
class WycheproofEcdhTest {
    private static final ASN1ObjectIdentifier P256_OID = new ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
    private static PKCS11Token p11;

    @BeforeAll
    static void token() throws Exception {
        p11 = SoftHsm2.freshToken("wycheproof-ecdh").login();
    }

    @AfterAll
    static void close() {
        p11.closeAllSessions();
    }

    @Test
    void ecdhP256_allPaths() throws Exception {
        List<WycheproofCase> cases = WycheproofCase.load("ecdh_secp256r1_test.json");
        assertTrue(cases.size() > 500, "vector file too small: " + cases.size());
        List<String> failures = new ArrayList<>();
        int pkcs11Derived = 0;
        for (WycheproofCase c : cases) {
            byte[] spki = c.hex("public");
            byte[] scalar = BigIntegers.asUnsignedByteArray(32, new BigInteger(1, c.hex("private")));
            byte[] shared = c.hex("shared");
            check(failures, c, "jca", jca(spki, scalar), shared);
            byte[] point = decodeSpki(spki);
            check(failures, c, "software", software(point, scalar), shared);
            byte[] derived = pkcs11(point, scalar);
            check(failures, c, "pkcs11", derived, shared);
            if (derived != null) {
                pkcs11Derived++;
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(pkcs11Derived > 0, "PKCS#11 derived at least one secret");
    }

    private static void check(List<String> failures, WycheproofCase c, String path, byte[] result, byte[] shared) {
        if (c.result() == Result.VALID && (result == null || !Arrays.equals(shared, result))) {
            failures.add(c + " " + path + ": " + (result == null ? "refused" : "wrong secret"));
        } else if (c.result() == Result.INVALID && result != null) {
            failures.add(c + " " + path + ": an invalid public key was accepted");
        } else if (c.result() == Result.ACCEPTABLE && result != null && !Arrays.equals(shared, result)) {
            failures.add(c + " " + path + ": wrong secret");
        }
    }

    private static byte[] jca(byte[] spki, byte[] scalar) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC", "SunEC");
            PublicKey peer = factory.generatePublic(new X509EncodedKeySpec(spki));
            java.security.spec.ECParameterSpec p256 = ecParameters();
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(
                    new ECPrivateKeySpec(new BigInteger(1, scalar), p256));
            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH", "SunEC");
            ecdh.init(privateKey);
            ecdh.doPhase(peer, true);
            return ecdh.generateSecret();
        } catch (Exception e) {
            return null;
        }
    }

    private static java.security.spec.ECParameterSpec ecParameters() throws Exception {
        java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(java.security.spec.ECParameterSpec.class);
    }

    /** The raw point of a P-256 SPKI, or null if the encoding or the curve is wrong. */
    private static byte[] decodeSpki(byte[] spki) {
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(spki);
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())
                    || !P256_OID.equals(info.getAlgorithm().getParameters())) {
                return null;
            }
            if (!Arrays.equals(spki, info.getEncoded("DER"))) {
                return null; // not DER: refuse non-canonical encodings
            }
            return info.getPublicKeyData().getOctets();
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] software(byte[] point, byte[] scalar) {
        if (point == null) {
            return null;
        }
        try (SecretBytes z = P256.sharedSecret(SecretBytes.copyFrom(scalar), point)) {
            return z.toByteArray(SecretAccess.plaintext());
        } catch (InvalidPeerKeyException e) {
            return null;
        }
    }

    private static byte[] pkcs11(byte[] point, byte[] scalar) throws TokenException {
        if (point == null) {
            return null;
        }
        try {
            P256.decode(point); // what Pkcs11Token checks before any derive
        } catch (InvalidPeerKeyException e) {
            return null;
        }
        long privateKey = p11.createObject(AttributeVector.newECPrivateKey().token(false).ecParams(P256.EC_PARAMS)
                .value(scalar).derive(true).sensitive(false));
        try {
            long z = p11.deriveKey(new Mechanism(Mechanisms.CKM_ECDH1_DERIVE,
                    new ECDH1_DERIVE_PARAMS(Mechanisms.CKD_NULL, null, point)), privateKey,
                    AttributeVector.newSecretKey(CKK_GENERIC_SECRET).token(false).valueLen(32).sensitive(false)
                            .extractable(true));
            try {
                return p11.getAttrValues(z, CKA_VALUE).value();
            } finally {
                p11.destroyObject(z);
            }
        } catch (TokenException e) {
            return null;
        } finally {
            p11.destroyObject(privateKey);
        }
    }
}
