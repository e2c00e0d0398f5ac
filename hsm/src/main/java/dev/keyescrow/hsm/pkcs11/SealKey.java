package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.SealContext;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.SealedSecret;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;

/**
 * The token's seal key: AES-256-GCM inside the token over small secrets (requests' ephemeral
 * private keys), bound to their {@link SealContext}. A token provisioned before the seal key
 * existed gets it at its first seal (one token write, under the token's write lock).
 *
 * <p>SoftHSM2 2.6 reports a failed GCM tag as CKR_GENERAL_ERROR, like a failing token: the
 * failure is a bad blob only if random bytes then make the round trip under the same key.
 */
final class SealKey {
    /** IVs of the seal key: fresh and random, 96 bits (few seals per key, far below GCM's 2^32 bound). */
    private static final SecureRandom SEAL_IVS = drbg();

    private final PKCS11Token p11;
    private final String tokenLabel;
    private final Object lock;
    /** The seal key's handle; null until made, for a token provisioned before it existed. */
    private volatile Long handle;

    SealKey(PKCS11Token p11, String tokenLabel, Long handle, Object lock) {
        this.p11 = p11;
        this.tokenLabel = tokenLabel;
        this.handle = handle;
        this.lock = lock;
    }

    byte[] seal(SealContext context, SecretBytes secret) throws TokenFailureException {
        if (secret.length() < 1 || secret.length() > SealedSecret.MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("a sealed secret is 1 to " + SealedSecret.MAX_SECRET_LENGTH + " bytes");
        }
        long key = creatingIfMissing();
        byte[] iv = new byte[SealedSecret.IV_LENGTH];
        SEAL_IVS.nextBytes(iv);
        byte[] value = secret.toByteArray(SecretAccess.plaintext());
        try {
            return SealedSecret.of(iv, p11.encrypt(gcm(iv, context), key, value)).encoded();
        } catch (TokenException e) {
            throw new TokenFailureException("sealing with the seal key failed: " + Pkcs11Failures.name(e));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    SecretBytes unseal(SealContext context, byte[] sealed) throws CorruptBlobException, TokenFailureException {
        SealedSecret parsed = SealedSecret.parse(sealed);
        Long key = handle;
        if (key == null) {
            throw new CorruptBlobException("this token has no seal key, so it sealed nothing");
        }
        requireGcm();
        try {
            return SecretBytes.moveFrom(p11.decrypt(gcm(parsed.iv(), context), key, parsed.ciphertext()));
        } catch (TokenException e) {
            if (Pkcs11Failures.mayBeBadWrappedBytes(e) && roundTripWorks(key)) {
                throw new CorruptBlobException("the sealed secret does not authenticate under this token's seal key"
                        + " for " + context.requestId());
            }
            throw new TokenFailureException("unsealing with the seal key failed: " + Pkcs11Failures.name(e));
        }
    }

    private long creatingIfMissing() throws TokenFailureException {
        requireGcm();
        Long key = handle;
        if (key != null) {
            return key;
        }
        synchronized (lock) {
            if (handle == null) {
                try {
                    handle = p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), ObjectTemplates.sealKey());
                } catch (TokenException e) {
                    throw new TokenFailureException("creating the seal key failed: " + Pkcs11Failures.name(e));
                }
            }
            return handle;
        }
    }

    private void requireGcm() throws TokenFailureException {
        if (!p11.getMechanisms().contains(Mechanisms.CKM_AES_GCM)) {
            throw new TokenFailureException(String.format("token '%s' lacks mechanism 0x%04X (AES-GCM), needed to"
                    + " seal", tokenLabel, Mechanisms.CKM_AES_GCM));
        }
    }

    private static Mechanism gcm(byte[] iv, SealContext context) {
        return new Mechanism(Mechanisms.CKM_AES_GCM, new GCM_PARAMS(iv, context.additionalData(),
                SealedSecret.TAG_LENGTH * 8));
    }

    private boolean roundTripWorks(long key) {
        byte[] iv = new byte[SealedSecret.IV_LENGTH];
        byte[] probe = new byte[16];
        SEAL_IVS.nextBytes(iv);
        SEAL_IVS.nextBytes(probe);
        Mechanism mechanism = new Mechanism(Mechanisms.CKM_AES_GCM, new GCM_PARAMS(iv, new byte[0],
                SealedSecret.TAG_LENGTH * 8));
        try {
            return Arrays.equals(probe, p11.decrypt(mechanism, key, p11.encrypt(mechanism, key, probe)));
        } catch (TokenException e) {
            return false;
        }
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no DRBG", e);
        }
    }
}
