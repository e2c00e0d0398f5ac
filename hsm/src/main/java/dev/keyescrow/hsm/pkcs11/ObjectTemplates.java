package dev.keyescrow.hsm.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_AES;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC_EDWARDS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_GENERIC_SECRET;

import dev.keyescrow.hsm.spec.P256;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;

/**
 * The attribute templates of every object this layer creates. The rule they encode: no
 * key value is ever readable through PKCS#11 ({@code CKA_SENSITIVE}), nothing but a share
 * is extractable (it must be, to be wrapped), each key does one thing (key separation),
 * and only long-lived keys are token objects.
 */
final class ObjectTemplates {
    private ObjectTemplates() {
    }

    /** Identity key pair: EC P-256, sign only. */
    static KeyPairTemplate identityKeyPair() {
        AttributeVector privateKey = AttributeVector.newECPrivateKey().token(true).private_(true).label(ObjectLabels.IDENTITY)
                .sensitive(true).extractable(false).sign(true).derive(false).decrypt(false).unwrap(false);
        AttributeVector publicKey = AttributeVector.newECPublicKey().token(true).private_(false)
                .label(ObjectLabels.IDENTITY).ecParams(P256.EC_PARAMS).verify(true).derive(false).encrypt(false)
                .wrap(false);
        return new KeyPairTemplate(privateKey, publicKey);
    }

    /** Transport key pair: EC P-256, derive only. */
    static KeyPairTemplate transportKeyPair() {
        AttributeVector privateKey = AttributeVector.newECPrivateKey().token(true).private_(true)
                .label(ObjectLabels.TRANSPORT).sensitive(true).extractable(false).sign(false).derive(true)
                .decrypt(false).unwrap(false);
        AttributeVector publicKey = AttributeVector.newECPublicKey().token(true).private_(false)
                .label(ObjectLabels.TRANSPORT).ecParams(P256.EC_PARAMS).verify(false).derive(false).encrypt(false)
                .wrap(false);
        return new KeyPairTemplate(privateKey, publicKey);
    }

    /** An epoch KEK: AES-256 token object, wrap/unwrap only, never extractable. */
    static AttributeVector epochKek(long epoch) {
        return AttributeVector.newAESSecretKey().token(true).private_(true).label(ObjectLabels.epoch(epoch))
                .valueLen(32).sensitive(true).extractable(false).wrap(true).unwrap(true).encrypt(false)
                .decrypt(false).derive(false).sign(false).verify(false);
    }

    /**
     * The seal key: AES-256 token object, encrypt/decrypt only (AES-GCM over requests'
     * ephemeral private keys), never extractable, never a wrapping or derivation key.
     */
    static AttributeVector sealKey() {
        return AttributeVector.newAESSecretKey().token(true).private_(true).label(ObjectLabels.SEAL).valueLen(32)
                .sensitive(true).extractable(false).encrypt(true).decrypt(true).wrap(false).unwrap(false)
                .derive(false).sign(false).verify(false);
    }

    /** Z, the raw ECDH secret: a session AES-256 key usable only to derive the KEK. */
    static AttributeVector sharedSecret() {
        return AttributeVector.newSecretKey(CKK_AES).token(false).private_(true).valueLen(32).sensitive(true)
                .extractable(false).derive(true).encrypt(false).decrypt(false).wrap(false).unwrap(false);
    }

    /** A transport KEK: a session AES-256 key, wrap/unwrap only. */
    static AttributeVector transportKek() {
        return AttributeVector.newSecretKey(CKK_AES).token(false).private_(true).valueLen(32).sensitive(true)
                .extractable(false).wrap(true).unwrap(true).encrypt(false).decrypt(false).derive(false);
    }

    /** A share while in use: a session generic secret, sensitive, extractable only by wrapping. */
    static AttributeVector share() {
        return AttributeVector.newSecretKey(CKK_GENERIC_SECRET).token(false).private_(true).sensitive(true)
                .extractable(true).derive(false).sign(false).verify(false).encrypt(false).decrypt(false)
                .wrap(false).unwrap(false);
    }

    /** DER of the Ed25519 curve OID 1.3.101.112, the CKA_EC_PARAMS of an Edwards key. */
    private static final byte[] ED25519_PARAMS = {0x06, 0x03, 0x2B, 0x65, 0x70};

    /** A USE session's AES-256 key: a session object that encrypts and decrypts only, never readable. */
    static AttributeVector sessionAesKey(byte[] value) {
        return AttributeVector.newAESSecretKey().token(false).private_(true).sensitive(true).extractable(false)
                .encrypt(true).decrypt(true).wrap(false).unwrap(false).derive(false).sign(false).verify(false)
                .value(value);
    }

    /** A USE session's EC P-256 private key (d, 32 bytes): a session object that signs only. */
    static AttributeVector sessionP256Key(byte[] d) {
        return AttributeVector.newECPrivateKey().token(false).private_(true).sensitive(true).extractable(false)
                .sign(true).derive(false).decrypt(false).unwrap(false).ecParams(P256.EC_PARAMS).value(d);
    }

    /** A USE session's Ed25519 private key (the 32-byte seed): a session object that signs only. */
    static AttributeVector sessionEd25519Key(byte[] seed) {
        return AttributeVector.newPrivateKey(CKK_EC_EDWARDS).token(false).private_(true).sensitive(true)
                .extractable(false).sign(true).derive(false).decrypt(false).unwrap(false).ecParams(ED25519_PARAMS)
                .value(seed);
    }
}
