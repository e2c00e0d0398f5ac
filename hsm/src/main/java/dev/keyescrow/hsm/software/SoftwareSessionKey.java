package dev.keyescrow.hsm.software;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.SessionKey;
import dev.keyescrow.hsm.UnauthenticCiphertextException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The development vault's {@link SessionKey}: its own copy of the key in this JVM, zeroed
 * at {@link #close()}, with the JDK's AES-GCM (AES-NI, constant-time) and the core's
 * signers. Same bytes in and out as a PKCS#11 session key.
 */
final class SoftwareSessionKey implements SessionKey {
    private final KeyAlgorithm algorithm;
    private final SecretBytes key;
    private boolean open = true;

    SoftwareSessionKey(KeyAlgorithm algorithm, SecretBytes key) {
        this.algorithm = algorithm;
        this.key = key;
    }

    @Override
    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public synchronized byte[] encrypt(byte[] iv, byte[] plaintext, byte[] aad) {
        try {
            return gcm(Cipher.ENCRYPT_MODE, iv, Objects.requireNonNull(plaintext, "plaintext"), aad);
        } catch (AEADBadTagException e) {
            throw new BugException("encryption checked a tag", e);
        }
    }

    @Override
    public synchronized byte[] decrypt(byte[] iv, byte[] sealed, byte[] aad) throws UnauthenticCiphertextException {
        if (sealed.length < GCM_TAG_LENGTH) {
            throw new UnauthenticCiphertextException("the ciphertext is shorter than its 16-byte tag");
        }
        try {
            return gcm(Cipher.DECRYPT_MODE, iv, sealed, aad);
        } catch (AEADBadTagException e) {
            throw new UnauthenticCiphertextException("the ciphertext does not authenticate under this key, IV and AAD");
        }
    }

    private byte[] gcm(int mode, byte[] iv, byte[] input, byte[] aad) throws AEADBadTagException {
        requireOpen();
        if (algorithm != KeyAlgorithm.AES_256) {
            throw new IllegalStateException("an " + algorithm.wireName() + " key does not encrypt or decrypt");
        }
        if (iv.length != GCM_IV_LENGTH) {
            throw new IllegalArgumentException("the GCM IV must be 12 bytes");
        }
        byte[] raw = key.toByteArray(SecretAccess.plaintext());
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(GCM_TAG_LENGTH * 8, iv));
            cipher.updateAAD(Objects.requireNonNull(aad, "aad"));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK's AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public synchronized byte[] sign(byte[] message) {
        requireOpen();
        if (algorithm == KeyAlgorithm.ED25519) {
            return Ed25519.sign(key, message);
        }
        if (algorithm != KeyAlgorithm.EC_P256) {
            throw new IllegalStateException("an AES-256 key does not sign");
        }
        SoftwareP256Signer signer = SoftwareP256Signer.fromPrivateKey(key);
        try {
            return signer.sign(message);
        } finally {
            signer.privateKey().destroy();
        }
    }

    private void requireOpen() {
        if (!open) {
            throw new IllegalStateException("this session key is destroyed");
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
        key.destroy();
    }

    @Override
    public String toString() {
        return "SoftwareSessionKey[" + algorithm.wireName() + (open ? ", open" : ", destroyed") + "]";
    }
}
