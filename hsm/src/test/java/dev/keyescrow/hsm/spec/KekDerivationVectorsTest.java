package dev.keyescrow.hsm.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_AES;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_GENERIC_SECRET;

import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.SealContext;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.pkcs11.KeyWrapMechanism;
import dev.keyescrow.hsm.pkcs11.Mechanisms;
import dev.keyescrow.hsm.pkcs11.SoftHsm2;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;
import org.xipki.pkcs11.wrapper.params.KEY_DERIVATION_STRING_DATA;

/**
 * The vectors of {@code docs/spec/kdf.md}, on three independent paths: {@code hsm.spec}
 * (Bouncy Castle), the JDK's JCA, and SoftHSM2 with the mechanisms {@code Pkcs11Token}
 * uses (on session objects made readable for this test only).
 */
class KekDerivationVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    static final byte[] D_T = HEX.parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
    static final byte[] D_E = HEX.parseHex("519b423d715f8b581f4fa8ee59f4771a5b44c8130b4e3eacca54a56dda72b464");
    static final byte[] T = HEX.parseHex("0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
            + "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
    static final byte[] E = HEX.parseHex("041ccbe91c075fc7f4f033bfa248db8fccd3565de94bbfb12f3c59ff46c271bf83"
            + "ce4014c68811f9a21a1fdb2c0e6113e06db7ca93b7404e78dc7ccd5ca89a4ca9");
    static final byte[] Z = HEX.parseHex("874cc88baf56772eba61b4ccb240ed93d96f2345b346d0e7f9d58a3a555535d0");

    static final ShareRef IMPORT_REF = new ShareRef("key-1", 1, 2, 33);
    static final byte[] IMPORT_CONTEXT = HEX.parseHex("6b65792d3100000000010200000021");
    static final byte[] IMPORT_D = HEX.parseHex("09887cf2b7d67207f1c8c06e1de201501927769fdb2d363bf3937ffca6900d64");
    static final byte[] IMPORT_KEK = HEX.parseHex("131c8369e6bbb35e25e0c65d75b3f4e6606962637e4c1794d36c04d66f380aec");
    static final byte[] IMPORT_WRAPPED = HEX.parseHex(
            "87e02c4e90e0a4048494628cdc01d957b00a8c005e2a7597e4d91f99ba02cb85207165e26dbeb36127ba522f54f9c8ef");

    static final ShareRef RELEASE_REF = new ShareRef("key-1", 1, 3, 32);
    static final byte[] DIGEST = HEX.parseHex("9456bdfa12ea76959c94a3572f5d91c73d838622df0a8d9b4e815c276c6b7880");
    static final byte[] RELEASE_D = HEX.parseHex("0665427778abc1f6767b3144a9ef9241200b6db5cecd167873dd76d9ddb996b6");
    static final byte[] RELEASE_KEK = HEX.parseHex("33629f402b44ac26e59bba5af91de7882dae829dd6c5f4bc6c0743b4e5ea059e");
    static final byte[] RELEASE_WRAPPED = HEX.parseHex(
            "a49eaea57f8b651eb101b79072a41d49a9ce57503f4e175be1a81ce9b75edb2cbc063c41398b9ba2");

    static final byte[] KEY_IMPORT_CONTEXT = HEX.parseHex("6b65792d31004145532d3235360000000020");
    static final byte[] KEY_IMPORT_D = HEX.parseHex("2dfe95ed5ca1c8017bda37de9f23773a15d052f915087c93814867c3579d2c89");
    static final byte[] KEY_IMPORT_KEK = HEX.parseHex(
            "3a7eb4388b20501bf9cd0af3e4b78f171718049b1ddae8244ae641151e94df3e");
    static final byte[] KEY_IMPORT_WRAPPED = HEX.parseHex(
            "f2cc63ea93d0820723a9b1bb7dfcc3eb002ce248c790ae172baf20d934d69d74ff45df081331ac26");

    static final byte[] SEAL_KEY = range(0x40, 32);
    static final byte[] SEAL_IV = range(0x10, 12);
    static final byte[] SEAL_AAD = HEX.parseHex("6b6579657363726f772d7365616c2d7631007265712d3100"
            + "9456bdfa12ea76959c94a3572f5d91c73d838622df0a8d9b4e815c276c6b7880");
    static final byte[] SEALED = HEX.parseHex("02101112131415161718191a1b195b5fb232f47244c6cfbc3b879561d97566f6ba7264"
            + "3c7c0017b3aaa714ccaf392655812a317154b1e660b838562e9a");

    /** {@code length} bytes counting up from {@code first}. */
    static byte[] range(int first, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (first + i);
        }
        return out;
    }

    static byte[] importShare() {
        byte[] share = new byte[33];
        for (int i = 0; i < share.length; i++) {
            share[i] = (byte) (i + 1);
        }
        return share;
    }

    static byte[] releaseShare() {
        byte[] share = new byte[32];
        for (int i = 0; i < share.length; i++) {
            share[i] = (byte) (0xa0 + i);
        }
        return share;
    }

    @Test
    void specPath_matchesVectors() throws Exception {
        assertArrayEquals(T, P256.publicKeyOf(SecretBytes.copyFrom(D_T)));
        assertArrayEquals(E, P256.publicKeyOf(SecretBytes.copyFrom(D_E)));
        assertArrayEquals(Z, P256.sharedSecret(SecretBytes.copyFrom(D_E), T).toByteArray(SecretAccess.plaintext()));
        assertArrayEquals(Z, P256.sharedSecret(SecretBytes.copyFrom(D_T), E).toByteArray(SecretAccess.plaintext()));
        assertArrayEquals(DIGEST, Statements.sha256("req-1".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(IMPORT_CONTEXT, KekContext.forImport(IMPORT_REF).context());
        assertArrayEquals(IMPORT_D, KekDerivation.derivationData(KekContext.forImport(IMPORT_REF), E, T));
        assertArrayEquals(IMPORT_KEK, KekDerivation.kek(SecretBytes.copyFrom(Z), IMPORT_D)
                .toByteArray(SecretAccess.plaintext()));
        assertArrayEquals(RELEASE_D, KekDerivation.derivationData(KekContext.forRelease("req-1", DIGEST, RELEASE_REF),
                E, T));
        assertArrayEquals(RELEASE_KEK, KekDerivation.kek(SecretBytes.copyFrom(Z), RELEASE_D)
                .toByteArray(SecretAccess.plaintext()));
        try (EphemeralKey ephemeral = EphemeralKey.fromPrivateKey(SecretBytes.copyFrom(D_E))) {
            byte[] envelope = ShareSender.wrapForImport(T, IMPORT_REF, SecretBytes.copyFrom(importShare()), ephemeral);
            assertEquals(1, envelope[0]);
            assertArrayEquals(E, Arrays.copyOfRange(envelope, 1, 66));
            assertArrayEquals(IMPORT_WRAPPED, Arrays.copyOfRange(envelope, 66, envelope.length));
            try (SecretBytes opened = ReleaseOpener.open(ephemeral, T, "req-1", DIGEST, RELEASE_REF, RELEASE_WRAPPED)) {
                assertArrayEquals(releaseShare(), opened.toByteArray(SecretAccess.plaintext()));
            }
        }
    }

    /** Key import: key {@code key-1}, AES-256, value {@code c0..df}. */
    @Test
    void keyImport_specAndJcaPaths_matchVectors() throws Exception {
        KekContext context = KekContext.forKeyImport("key-1", KeyAlgorithm.AES_256, 32);
        assertArrayEquals(KEY_IMPORT_CONTEXT, context.context());
        assertArrayEquals(KEY_IMPORT_D, KekDerivation.derivationData(context, E, T));
        assertArrayEquals(KEY_IMPORT_KEK, KekDerivation.kek(SecretBytes.copyFrom(Z), KEY_IMPORT_D)
                .toByteArray(SecretAccess.plaintext()));
        try (EphemeralKey ephemeral = EphemeralKey.fromPrivateKey(SecretBytes.copyFrom(D_E))) {
            byte[] envelope = ShareSender.wrapForKeyImport(T, "key-1", KeyAlgorithm.AES_256,
                    SecretBytes.copyFrom(range(0xc0, 32)), ephemeral);
            assertEquals(1, envelope[0]);
            assertArrayEquals(E, Arrays.copyOfRange(envelope, 1, 66));
            assertArrayEquals(KEY_IMPORT_WRAPPED, Arrays.copyOfRange(envelope, 66, envelope.length));
        }
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Z, "AES"));
        assertArrayEquals(KEY_IMPORT_KEK, ecb.doFinal(KEY_IMPORT_D));
        Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
        kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY_IMPORT_KEK, "AES"));
        assertArrayEquals(KEY_IMPORT_WRAPPED, kwp.doFinal(range(0xc0, 32)));
    }

    static final byte[] EXPORT_CONTEXT = HEX.parseHex("7265712d3100" + "9456bdfa12ea76959c94a3572f5d91c73d838622df0a8d9b"
            + "4e815c276c6b7880" + "6b65792d3100000000010300000020");
    static final byte[] EXPORT_D = HEX.parseHex("57bdeb4883b21ae665038054723765c7273635ea2f74c33ef0d413731dc5a3c9");
    static final byte[] EXPORT_KEK = HEX.parseHex("d171dfc585c8b2fa5834c9616e65c798c8ba6d8ddedbaba1b76a9a97a5265477");
    static final byte[] EXPORT_WRAPPED = HEX.parseHex("9a12435960a3e5265f42e24493299587b342c931d51e24086f152d437f14bc03"
            + "1183bfdb5bd676f2");

    /**
     * Export release ({@code export-release.md}): the release vector's share and request, wrapped
     * by transport key {@code T} to a recipient whose key is the vectors' {@code d_E}/{@code E};
     * the same context bytes as a release, another label, so another KEK.
     */
    @Test
    void exportRelease_specAndJcaPaths_matchVector() throws Exception {
        KekContext context = KekContext.forExportRelease("req-1", DIGEST, RELEASE_REF);
        assertArrayEquals(EXPORT_CONTEXT, context.context());
        assertArrayEquals(KekContext.forRelease("req-1", DIGEST, RELEASE_REF).context(), context.context());
        assertArrayEquals(EXPORT_D, KekDerivation.derivationData(context, E, T));
        assertArrayEquals(EXPORT_KEK, KekDerivation.kek(SecretBytes.copyFrom(Z), EXPORT_D)
                .toByteArray(SecretAccess.plaintext()));
        try (SecretBytes kek = KekDerivation.deriveKek(SecretBytes.copyFrom(D_T), E, context, E, T)) {
            assertArrayEquals(EXPORT_WRAPPED, AesKwp.wrap(kek, SecretBytes.copyFrom(releaseShare())));
        }
        try (EphemeralKey recipient = EphemeralKey.fromPrivateKey(SecretBytes.copyFrom(D_E));
             SecretBytes opened = ExportReleaseOpener.open(recipient, T, "req-1", DIGEST, RELEASE_REF, EXPORT_WRAPPED)) {
            assertArrayEquals(releaseShare(), opened.toByteArray(SecretAccess.plaintext()));
        }
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Z, "AES"));
        assertArrayEquals(EXPORT_KEK, ecb.doFinal(EXPORT_D));
        Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
        kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(EXPORT_KEK, "AES"));
        assertArrayEquals(EXPORT_WRAPPED, kwp.doFinal(releaseShare()));
    }

    /** Sealing: seal key {@code 40..5f}, IV {@code 10..1b}, secret {@code 60..7f}, request {@code req-1}. */
    @Test
    void seal_jcaAndSoftHsm2Paths_matchVector() throws Exception {
        assertArrayEquals(SEAL_AAD, new SealContext("req-1", DIGEST).additionalData());
        byte[] ciphertext = Arrays.copyOfRange(SEALED, 13, SEALED.length);
        assertArrayEquals(SEALED, SealedSecret.of(SEAL_IV, ciphertext).encoded());
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(SEAL_KEY, "AES"), new GCMParameterSpec(128, SEAL_IV));
        gcm.updateAAD(SEAL_AAD);
        assertArrayEquals(ciphertext, gcm.doFinal(range(0x60, 32)));
        PKCS11Token p11 = SoftHsm2.freshToken("seal-vector").login();
        try {
            long key = p11.createObject(AttributeVector.newAESSecretKey().token(false).value(SEAL_KEY).encrypt(true)
                    .decrypt(true));
            Mechanism mechanism = new Mechanism(Mechanisms.CKM_AES_GCM, new GCM_PARAMS(SEAL_IV, SEAL_AAD, 128));
            assertArrayEquals(ciphertext, p11.encrypt(mechanism, key, range(0x60, 32)));
            assertArrayEquals(range(0x60, 32), p11.decrypt(mechanism, key, ciphertext));
        } finally {
            p11.closeAllSessions();
        }
    }

    @Test
    void jcaPath_matchesVectors() throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
        KeyFactory factory = KeyFactory.getInstance("EC", "SunEC");
        ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(
                new ECPrivateKeySpec(new BigInteger(1, D_E), p256));
        ECPublicKey transport = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(
                new ECPoint(new BigInteger(1, Arrays.copyOfRange(T, 1, 33)), new BigInteger(1, Arrays.copyOfRange(T, 33, 65))),
                p256));
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH", "SunEC");
        ecdh.init(privateKey);
        ecdh.doPhase(transport, true);
        assertArrayEquals(Z, ecdh.generateSecret());
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Z, "AES"));
        assertArrayEquals(IMPORT_KEK, ecb.doFinal(IMPORT_D));
        assertArrayEquals(RELEASE_KEK, ecb.doFinal(RELEASE_D));
        Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
        kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(IMPORT_KEK, "AES"));
        assertArrayEquals(IMPORT_WRAPPED, kwp.doFinal(importShare()));
        kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(RELEASE_KEK, "AES"));
        assertArrayEquals(RELEASE_WRAPPED, kwp.doFinal(releaseShare()));
    }

    @Test
    void softHsm2Path_matchesVectors() throws Exception {
        PKCS11Token p11 = SoftHsm2.freshToken("vectors").login();
        try {
            long transport = p11.createObject(AttributeVector.newECPrivateKey().token(false)
                    .ecParams(P256.EC_PARAMS).value(D_T).derive(true).sensitive(false));
            long z = p11.deriveKey(new Mechanism(Mechanisms.CKM_ECDH1_DERIVE,
                    new ECDH1_DERIVE_PARAMS(Mechanisms.CKD_NULL, null, E)), transport, readable(CKK_AES).derive(true));
            assertArrayEquals(Z, value(p11, z));
            Mechanism kwp = new Mechanism(KeyWrapMechanism.AES_KEY_WRAP_PAD.code());

            long importKek = p11.deriveKey(new Mechanism(Mechanisms.CKM_AES_ECB_ENCRYPT_DATA,
                    new KEY_DERIVATION_STRING_DATA(IMPORT_D)), z, readable(CKK_AES).wrap(true).unwrap(true));
            assertArrayEquals(IMPORT_KEK, value(p11, importKek));
            long share = p11.createObject(readable(CKK_GENERIC_SECRET).value(importShare()));
            // SoftHSM2 2.6 zero-pads a 33-byte value to 40 before RFC 5649 (MLI 40, not 33): its wrap
            // differs from the vector, and equals RFC 5649 of the padded value
            Cipher jcaKwp = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
            jcaKwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(IMPORT_KEK, "AES"));
            assertArrayEquals(jcaKwp.doFinal(Arrays.copyOf(importShare(), 40)), p11.wrapKey(kwp, importKek, share));
            long unwrapped = p11.unwrapKey(kwp, importKek, IMPORT_WRAPPED, readable(CKK_GENERIC_SECRET));
            byte[] value = value(p11, unwrapped);
            // SoftHSM2 2.6 returns the 33-byte value zero-padded to 40: the length rule of the spec
            assertTrue(value.length == 33 || value.length == 40, "unwrapped length " + value.length);
            assertArrayEquals(importShare(), ShareLength.trim(SecretBytes.copyFrom(value), 33)
                    .toByteArray(SecretAccess.plaintext()));

            long releaseKek = p11.deriveKey(new Mechanism(Mechanisms.CKM_AES_ECB_ENCRYPT_DATA,
                    new KEY_DERIVATION_STRING_DATA(RELEASE_D)), z, readable(CKK_AES).wrap(true).unwrap(true));
            assertArrayEquals(RELEASE_KEK, value(p11, releaseKek));
            long released = p11.createObject(readable(CKK_GENERIC_SECRET).value(releaseShare()));
            assertArrayEquals(RELEASE_WRAPPED, p11.wrapKey(kwp, releaseKek, released));
        } finally {
            p11.closeAllSessions();
        }
    }

    private static AttributeVector readable(long keyType) {
        AttributeVector template = AttributeVector.newSecretKey(keyType).token(false).sensitive(false).extractable(true);
        return keyType == CKK_AES ? template.valueLen(32) : template;
    }

    private static byte[] value(PKCS11Token p11, long handle) throws Exception {
        return p11.getAttrValues(handle, CKA_VALUE).value();
    }
}
