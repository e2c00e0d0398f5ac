package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.Statements;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * The token's identity key as a {@link Signer}: SHA-256 in Java, then raw CKM_ECDSA in the
 * token (SoftHSM2 2.6 rejects CKM_ECDSA_SHA256). PKCS#11 returns ECDSA signatures as
 * r ‖ s, 64 bytes for P-256, which is the form {@code EcdsaP256.verify} reads.
 */
final class Pkcs11IdentitySigner implements Signer {
    private final PKCS11Token token;
    private final long privateKey;
    private final byte[] publicKey;

    Pkcs11IdentitySigner(PKCS11Token token, long privateKey, byte[] publicKey) {
        this.token = token;
        this.privateKey = privateKey;
        this.publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] sign(byte[] message) throws KeyEscrowException {
        try {
            byte[] signature = token.sign(new Mechanism(Mechanisms.CKM_ECDSA), privateKey, Statements.sha256(message));
            if (signature == null || signature.length != 64) {
                throw new TokenFailureException("the token returned an ECDSA signature that is not 64 bytes");
            }
            return signature;
        } catch (TokenException e) {
            throw new TokenFailureException("the token could not sign with its identity key: " + Pkcs11Failures.name(e));
        }
    }

    /** {@link #sign} for a statement the token signs as itself: every failure is the token's. */
    byte[] signStatement(byte[] statement) throws TokenFailureException {
        try {
            return sign(statement);
        } catch (TokenFailureException e) {
            throw e;
        } catch (KeyEscrowException e) {
            throw new TokenFailureException("signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "Pkcs11IdentitySigner[handle " + privateKey + "]";
    }
}
