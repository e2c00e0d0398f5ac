package dev.keyescrow.hsm.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DECRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DERIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ENCRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EXTRACTABLE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_TOKEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_UNWRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_WRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_SECRET_KEY;

import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.EpochRotation;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.ShareBlob;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.hsm.spec.Statements;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.attrs.Attribute;

/** What only a PKCS#11 token can show: attributes, key separation, and what lives in the token. */
class Pkcs11TokenTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private SoftHsm2.FreshToken fresh;
    private Pkcs11Token token;

    @BeforeEach
    void provision() throws Exception {
        fresh = SoftHsm2.freshToken("p11");
        token = Pkcs11Token.provision(SoftHsm2.module(), fresh.settings("node-7"));
    }

    @AfterEach
    void close() {
        token.close();
    }

    private StoredShare importShare(ShareRef ref) throws Exception {
        byte[] raw = new byte[ref.length()];
        RANDOM.nextBytes(raw);
        try (SecretBytes share = SecretBytes.moveFrom(raw)) {
            return token.importShare(ref, ShareSender.wrapForImport(token.transportPublicKey(), ref, share, RANDOM))
                    .stored();
        }
    }

    private static void assertValueUnreadable(PKCS11Token p11, long handle, String what) throws TokenException {
        AttributeVector read = p11.getAttrValues(handle, CKA_VALUE, CKA_SENSITIVE, CKA_EXTRACTABLE);
        Attribute value = read.getAttribute(CKA_VALUE);
        assertTrue(value == null || value.isSensitive() || value.getValue() == null,
                what + ": CKA_VALUE must not be readable");
        assertNull(read.value(), what + ": CKA_VALUE must not be readable");
        assertEquals(Boolean.TRUE, read.sensitive(), what + " must be CKA_SENSITIVE");
    }

    @Test
    void noKeyValueIsReadableThroughPkcs11() throws Exception {
        PKCS11Token p11 = token.wrapperToken();
        long[] privateKeys = p11.findAllObjects(new AttributeVector().class_(CKO_PRIVATE_KEY));
        assertEquals(2, privateKeys.length, "identity and transport private keys");
        for (long handle : privateKeys) {
            assertValueUnreadable(p11, handle, "private key");
            assertEquals(Boolean.FALSE, p11.getAttrValues(handle, CKA_EXTRACTABLE).extractable());
        }
        long kek = token.epochKekHandle(1);
        assertValueUnreadable(p11, kek, "epoch KEK");
        assertEquals(Boolean.FALSE, p11.getAttrValues(kek, CKA_EXTRACTABLE).extractable());
        // a share as the token holds it while in use: unwrapped with the layer's own template
        StoredShare stored = importShare(new ShareRef("key-a", 1, 1, 33));
        long share = p11.unwrapKey(new Mechanism(KeyWrapMechanism.AES_KEY_WRAP_PAD.code()), kek,
                stored.blob().wrapped(), ObjectTemplates.share());
        try {
            assertValueUnreadable(p11, share, "share session object");
        } finally {
            p11.destroyObject(share);
        }
        // Z as derived for a transport KEK
        try (EphemeralKey ephemeral = EphemeralKey.generate(RANDOM)) {
            long z = p11.deriveKey(new Mechanism(Mechanisms.CKM_ECDH1_DERIVE,
                    new org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS(Mechanisms.CKD_NULL, null,
                            ephemeral.publicKey())), token.transportPrivateKeyHandle(), ObjectTemplates.sharedSecret());
            try {
                assertValueUnreadable(p11, z, "ECDH secret Z");
            } finally {
                p11.destroyObject(z);
            }
        }
    }

    /** The seal key: a token object, unreadable, encrypt/decrypt only (no wrap, unwrap or derive). */
    @Test
    void sealKey_isUnreadable_andOnlyEncryptsAndDecrypts() throws Exception {
        PKCS11Token p11 = token.wrapperToken();
        long[] found = p11.findAllObjects(new AttributeVector().class_(CKO_SECRET_KEY).label(ObjectLabels.SEAL)
                .token(true));
        assertEquals(1, found.length, "one seal key, made at provisioning");
        long seal = found[0];
        assertValueUnreadable(p11, seal, "seal key");
        AttributeVector flags = p11.getAttrValues(seal, CKA_EXTRACTABLE, CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP,
                CKA_DERIVE);
        assertEquals(Boolean.FALSE, flags.extractable());
        assertEquals(Boolean.TRUE, flags.encrypt());
        assertEquals(Boolean.TRUE, flags.decrypt());
        assertEquals(Boolean.FALSE, flags.wrap());
        assertEquals(Boolean.FALSE, flags.unwrap());
        assertEquals(Boolean.FALSE, flags.derive());
        StoredShare stored = importShare(new ShareRef("key-s", 1, 1, 32));
        long share = p11.unwrapKey(new Mechanism(KeyWrapMechanism.AES_KEY_WRAP_PAD.code()), token.epochKekHandle(1),
                stored.blob().wrapped(), ObjectTemplates.share());
        try {
            assertThrows(TokenException.class, () -> p11.wrapKey(new Mechanism(
                    KeyWrapMechanism.AES_KEY_WRAP_PAD.code()), seal, share), "the seal key must not wrap");
        } finally {
            p11.destroyObject(share);
        }
        // and the epoch KEK cannot stand in for the seal key
        assertThrows(TokenException.class, () -> p11.encrypt(new Mechanism(Mechanisms.CKM_AES_GCM,
                new org.xipki.pkcs11.wrapper.params.GCM_PARAMS(new byte[12], new byte[0], 128)),
                token.epochKekHandle(1), new byte[32]));
    }

    /** A USE session's key: a sensitive, non-extractable session object, gone once closed. */
    @Test
    void sessionKeys_areUnreadableSessionObjects_destroyedAtClose() throws Exception {
        PKCS11Token p11 = token.wrapperToken();
        int tokenObjects = p11.findAllObjects(new AttributeVector().token(true)).length;
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            raw[0] &= 0x7F; // below the P-256 order
            Pkcs11SessionKey key = (Pkcs11SessionKey) token.openSessionKey(algorithm, SecretBytes.moveFrom(raw));
            long handle = key.handle();
            assertValueUnreadable(p11, handle, algorithm.wireName() + " session key");
            AttributeVector flags = p11.getAttrValues(handle, CKA_EXTRACTABLE, CKA_TOKEN);
            assertEquals(Boolean.FALSE, flags.extractable(), algorithm.wireName() + " must not be extractable");
            assertEquals(Boolean.FALSE, flags.token(), algorithm.wireName() + " must be a session object");
            key.close();
            assertThrows(TokenException.class, () -> p11.getAttrValues(handle, CKA_TOKEN),
                    "the object must be destroyed at close");
        }
        assertEquals(tokenObjects, p11.findAllObjects(new AttributeVector().token(true)).length,
                "a session key must never be written to the token's store");
    }

    @Test
    void keysAreSeparated_transportCannotSign_identityCannotDerive() throws Exception {
        PKCS11Token p11 = token.wrapperToken();
        long transport = token.transportPrivateKeyHandle();
        assertThrows(TokenException.class, () -> p11.sign(new Mechanism(Mechanisms.CKM_ECDSA), transport, new byte[32]));
        long identity = p11.findAllObjects(new AttributeVector().class_(CKO_PRIVATE_KEY).label(ObjectLabels.IDENTITY))[0];
        try (EphemeralKey ephemeral = EphemeralKey.generate(RANDOM)) {
            assertThrows(TokenException.class, () -> p11.deriveKey(new Mechanism(Mechanisms.CKM_ECDH1_DERIVE,
                    new org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS(Mechanisms.CKD_NULL, null,
                            ephemeral.publicKey())), identity, ObjectTemplates.sharedSecret()));
        }
    }

    @Test
    void afterShred_nothingInTheTokenUnwrapsTheDestroyedBlob() throws Exception {
        StoredShare destroyed = importShare(new ShareRef("key-s", 1, 1, 32));
        StoredShare survivor = importShare(new ShareRef("key-s", 1, 2, 32));
        try (EpochRotation rotation = token.beginRotation()) {
            rotation.rewrap(List.of(survivor));
            rotation.commit(List.of(destroyed.ref()));
        }
        PKCS11Token p11 = token.wrapperToken();
        long[] secretKeys = p11.findAllObjects(new AttributeVector().class_(CKO_SECRET_KEY));
        assertEquals(2, secretKeys.length, "only the new epoch KEK and the seal key remain; no session object leaked");
        List<String> opened = new ArrayList<>();
        for (long handle : secretKeys) {
            for (long mechanism : new long[] {KeyWrapMechanism.AES_KEY_WRAP_PAD.code(), Mechanisms.CKM_AES_KEY_WRAP}) {
                try {
                    long unwrapped = p11.unwrapKey(new Mechanism(mechanism), handle, destroyed.blob().wrapped(),
                            ObjectTemplates.share());
                    p11.destroyObject(unwrapped);
                    opened.add(handle + "/" + Long.toHexString(mechanism));
                } catch (TokenException expected) {
                    // the integrity check fails: the only KEK that could open it is gone
                }
            }
        }
        assertEquals(List.of(), opened);
    }

    @Test
    void corruptBlobOnHealthyToken_isCorrupt_butAnyFailureOnAClosedToken_isTokenFailure() throws Exception {
        ShareRef ref = new ShareRef("key-t", 1, 1, 32);
        StoredShare stored = importShare(ref);
        byte[] wrapped = stored.blob().wrapped();
        wrapped[9] ^= 0x10;
        StoredShare corrupt = new StoredShare(ref, ShareBlob.of(1, wrapped));
        try (EphemeralKey key = EphemeralKey.generate(RANDOM)) {
            byte[] digest = Statements.sha256(new byte[] {1});
            assertThrows(CorruptBlobException.class,
                    () -> token.release(new ReleaseRequest("req-1", digest, key.publicKey(), corrupt)));
            assertTrue(token.tokenPassesProbe());
            token.close(); // sessions gone, logged out: the token is no longer usable by this instance
            assertFalse(token.tokenPassesProbe());
            // TokenFailureException and CorruptBlobException are disjoint types: the same bytes are
            // now reported as the token's failure, because the probe fails
            assertThrows(TokenFailureException.class,
                    () -> token.release(new ReleaseRequest("req-2", digest, key.publicKey(), corrupt)));
            assertThrows(TokenFailureException.class,
                    () -> token.release(new ReleaseRequest("req-3", digest, key.publicKey(), stored)));
        } finally {
            token = Pkcs11Token.open(SoftHsm2.module(), fresh.settings("node-7"));
        }
    }

    @Test
    void pkcs11v3WrapCodeOnSoftHsm2_isRefusedAtOpen_namingTheSetting() throws Exception {
        Pkcs11Settings kwp = new Pkcs11Settings(SoftHsm2.library(), fresh.label(), fresh.pin(),
                KeyWrapMechanism.AES_KEY_WRAP_KWP, "node-7");
        TokenFailureException e = assertThrows(TokenFailureException.class,
                () -> Pkcs11Token.open(SoftHsm2.module(), kwp));
        assertTrue(e.getMessage().contains("0x210B"), e.getMessage());
    }

    @Test
    void openUnknownLabel_isNotProvisioned() {
        Pkcs11Settings none = new Pkcs11Settings(SoftHsm2.library(), "no-such-token", fresh.pin(),
                KeyWrapMechanism.AES_KEY_WRAP_PAD, "node-7");
        assertThrows(dev.keyescrow.hsm.TokenNotProvisionedException.class,
                () -> Pkcs11Token.open(SoftHsm2.module(), none));
    }

    @Test
    void provisionTwice_isRefused() {
        assertThrows(TokenFailureException.class,
                () -> Pkcs11Token.provision(SoftHsm2.module(), fresh.settings("node-7")));
    }

    @Test
    void keyWrapSetting_parsesCodesAndNames() {
        assertEquals(KeyWrapMechanism.AES_KEY_WRAP_PAD, KeyWrapMechanism.parse("0x210A"));
        assertEquals(KeyWrapMechanism.AES_KEY_WRAP_PAD, KeyWrapMechanism.parse("0x210a"));
        assertEquals(KeyWrapMechanism.AES_KEY_WRAP_KWP, KeyWrapMechanism.parse("CKM_AES_KEY_WRAP_KWP"));
        assertThrows(IllegalArgumentException.class, () -> KeyWrapMechanism.parse("0x2109"));
        if (KeyWrapMechanism.values().length != 2) {
            fail("exactly the two RFC 5649 codes are settings");
        }
    }
}
