package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.KekContext;
import dev.keyescrow.hsm.spec.KekDerivation;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.params.ECDH1_DERIVE_PARAMS;
import org.xipki.pkcs11.wrapper.params.KEY_DERIVATION_STRING_DATA;

/**
 * The token's transport key pair and the KEK derivation of {@code docs/spec/kdf.md}, all
 * inside the token: ECDH with CKD_NULL into a session secret Z, then CKM_AES_ECB_ENCRYPT_DATA
 * into the transport KEK; Z is destroyed at once and never leaves the token.
 */
final class TransportKey {
    private final PKCS11Token p11;
    private final long privateKey;
    private final byte[] publicKey;

    TransportKey(PKCS11Token p11, long privateKey, byte[] publicKey) {
        this.p11 = p11;
        this.privateKey = privateKey;
        this.publicKey = publicKey.clone();
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    long privateKeyHandle() {
        return privateKey;
    }

    /** The transport KEK for {@code context} and a peer's ephemeral key, as a session object the caller destroys. */
    long deriveKek(byte[] ephemeralPublicKey, KekContext context) throws TokenFailureException {
        long z;
        try {
            z = p11.deriveKey(new Mechanism(Mechanisms.CKM_ECDH1_DERIVE,
                    new ECDH1_DERIVE_PARAMS(Mechanisms.CKD_NULL, null, ephemeralPublicKey)), privateKey,
                    ObjectTemplates.sharedSecret());
        } catch (TokenException e) {
            throw new TokenFailureException("ECDH with the transport key failed: " + Pkcs11Failures.name(e));
        }
        try {
            byte[] d = KekDerivation.derivationData(context, ephemeralPublicKey, publicKey);
            return p11.deriveKey(new Mechanism(Mechanisms.CKM_AES_ECB_ENCRYPT_DATA, new KEY_DERIVATION_STRING_DATA(d)),
                    z, ObjectTemplates.transportKek());
        } catch (TokenException e) {
            throw new TokenFailureException("deriving the transport KEK failed: " + Pkcs11Failures.name(e));
        } finally {
            SessionObjects.destroyQuietly(p11, z);
        }
    }
}
