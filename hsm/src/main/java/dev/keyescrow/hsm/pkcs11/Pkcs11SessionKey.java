package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.SessionKey;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.UnauthenticCiphertextException;
import dev.keyescrow.hsm.spec.Statements;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;

/**
 * A {@link SessionKey} as a PKCS#11 session object. Operations are serialised with
 * {@link #close()}, so a handle is never used after C_DestroyObject (a handle may be reused
 * by the module for another object).
 *
 * <p>SoftHSM2 2.6 reports a failed GCM tag as CKR_GENERAL_ERROR, the code of a failing token
 * too; such a failure is read as an unauthentic ciphertext only after a round trip of random
 * bytes under the same key succeeds.
 */
final class Pkcs11SessionKey implements SessionKey {
    private static final SecureRandom PROBE_IVS = new SecureRandom();

    private final PKCS11Token p11;
    private final KeyAlgorithm algorithm;
    private long handle;

    Pkcs11SessionKey(PKCS11Token p11, KeyAlgorithm algorithm, long handle) {
        this.p11 = p11;
        this.algorithm = algorithm;
        this.handle = handle;
    }

    /** Loads a 32-byte key into the token as a session object; the JVM's copy of its value is zeroed. */
    static Pkcs11SessionKey load(PKCS11Token p11, String tokenLabel, KeyAlgorithm algorithm, SecretBytes key)
            throws TokenFailureException {
        if (key.length() != 32) {
            throw new IllegalArgumentException("a session key must be 32 bytes");
        }
        long mechanism = switch (algorithm) {
            case AES_256 -> Mechanisms.CKM_AES_GCM;
            case EC_P256 -> Mechanisms.CKM_ECDSA;
            case ED25519 -> Mechanisms.CKM_EDDSA;
        };
        if (!p11.getMechanisms().contains(mechanism)) {
            throw new TokenFailureException(String.format("token '%s' lacks mechanism 0x%04X, needed to use an"
                    + " %s key", tokenLabel, mechanism, algorithm.wireName()));
        }
        byte[] value = key.toByteArray(SecretAccess.plaintext());
        try {
            long handle = p11.createObject(switch (algorithm) {
                case AES_256 -> ObjectTemplates.sessionAesKey(value);
                case EC_P256 -> ObjectTemplates.sessionP256Key(value);
                case ED25519 -> ObjectTemplates.sessionEd25519Key(value);
            });
            return new Pkcs11SessionKey(p11, algorithm, handle);
        } catch (TokenException e) {
            throw new TokenFailureException("loading an " + algorithm.wireName() + " session key into the token"
                    + " failed: " + Pkcs11Failures.name(e));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public synchronized byte[] encrypt(byte[] iv, byte[] plaintext, byte[] aad) throws TokenFailureException {
        requireAes();
        try {
            if (plaintext.length == 0) {
                // SoftHSM2 2.6 refuses C_Encrypt of no data (CKR_ARGUMENTS_BAD); init and final alone give the tag
                ByteArrayOutputStream tag = new ByteArrayOutputStream(GCM_TAG_LENGTH);
                p11.encrypt(tag, gcm(iv, aad), handle, new ByteArrayInputStream(plaintext));
                return tag.toByteArray();
            }
            return p11.encrypt(gcm(iv, aad), handle, plaintext);
        } catch (IOException e) {
            throw new BugException("an in-memory stream failed", e);
        } catch (TokenException e) {
            throw new TokenFailureException("AES-GCM encryption in the token failed: " + Pkcs11Failures.name(e));
        }
    }

    @Override
    public synchronized byte[] decrypt(byte[] iv, byte[] sealed, byte[] aad)
            throws UnauthenticCiphertextException, TokenFailureException {
        requireAes();
        if (sealed.length < GCM_TAG_LENGTH) {
            throw new UnauthenticCiphertextException("the ciphertext is shorter than its 16-byte tag");
        }
        try {
            return p11.decrypt(gcm(iv, aad), handle, sealed);
        } catch (TokenException e) {
            if (Pkcs11Failures.mayBeBadWrappedBytes(e) && roundTripWorks()) {
                throw new UnauthenticCiphertextException("the ciphertext does not authenticate under this key, IV"
                        + " and AAD");
            }
            throw new TokenFailureException("AES-GCM decryption in the token failed: " + Pkcs11Failures.name(e));
        }
    }

    private boolean roundTripWorks() {
        byte[] iv = new byte[GCM_IV_LENGTH];
        byte[] probe = new byte[16];
        PROBE_IVS.nextBytes(iv);
        PROBE_IVS.nextBytes(probe);
        try {
            byte[] back = p11.decrypt(gcm(iv, new byte[0]), handle, p11.encrypt(gcm(iv, new byte[0]), handle, probe));
            return Arrays.equals(probe, back);
        } catch (TokenException e) {
            return false;
        }
    }

    private static Mechanism gcm(byte[] iv, byte[] aad) {
        if (iv.length != GCM_IV_LENGTH) {
            throw new IllegalArgumentException("the GCM IV must be 12 bytes");
        }
        return new Mechanism(Mechanisms.CKM_AES_GCM, new GCM_PARAMS(iv.clone(),
                Objects.requireNonNull(aad, "aad").clone(), GCM_TAG_LENGTH * 8));
    }

    @Override
    public synchronized byte[] sign(byte[] message) throws TokenFailureException {
        requireOpen();
        try {
            return switch (algorithm) {
                case EC_P256 -> requireLength(p11.sign(new Mechanism(Mechanisms.CKM_ECDSA), handle,
                        Statements.sha256(message)));
                case ED25519 -> requireLength(p11.sign(new Mechanism(Mechanisms.CKM_EDDSA), handle, message));
                case AES_256 -> throw new IllegalStateException("an AES-256 key does not sign");
            };
        } catch (TokenException e) {
            throw new TokenFailureException("signing in the token failed: " + Pkcs11Failures.name(e));
        }
    }

    private static byte[] requireLength(byte[] signature) throws TokenFailureException {
        if (signature == null || signature.length != 64) {
            throw new TokenFailureException("the token returned a signature that is not 64 bytes");
        }
        return signature;
    }

    private void requireAes() {
        requireOpen();
        if (algorithm != KeyAlgorithm.AES_256) {
            throw new IllegalStateException("an " + algorithm.wireName() + " key does not encrypt or decrypt");
        }
    }

    private void requireOpen() {
        if (handle < 0) {
            throw new IllegalStateException("this session key is destroyed");
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return handle >= 0;
    }

    @Override
    public synchronized void close() {
        if (handle >= 0) {
            try {
                p11.destroyObject(handle);
            } catch (TokenException ignored) {
                // a session object: it dies with the session at the latest
            }
            handle = -1;
        }
    }

    /** For tests in this package: the object's handle, or -1 once destroyed. */
    synchronized long handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "Pkcs11SessionKey[" + algorithm.wireName() + (handle >= 0 ? ", open" : ", destroyed") + "]";
    }
}
