package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.TokenFailureException;
import java.util.function.BooleanSupplier;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * C_UnwrapKey with the failure read correctly. SoftHSM2 2.6 answers a failed RFC 3394 /
 * RFC 5649 integrity check with CKR_GENERAL_ERROR, the same code as a broken token; so an
 * unwrap failure whose code may mean "bad bytes" is reported as a corrupt blob only if a
 * known-good probe on the same token then succeeds. Any other failure is the token's.
 */
final class Unwrapping {
    private Unwrapping() {
    }

    static long unwrap(PKCS11Token p11, Mechanism mechanism, long unwrappingKey, byte[] wrapped,
            AttributeVector template, String what, BooleanSupplier probe)
            throws CorruptBlobException, TokenFailureException {
        if (wrapped.length < 16 || wrapped.length % 8 != 0) {
            // RFC 3394/5649 output is n*8 bytes, n >= 2: malformed before any token call
            throw new CorruptBlobException(what + " has an impossible wrapped length");
        }
        try {
            return p11.unwrapKey(mechanism, unwrappingKey, wrapped, template);
        } catch (TokenException e) {
            if (!Pkcs11Failures.mayBeBadWrappedBytes(e)) {
                throw new TokenFailureException("unwrapping the " + what + " failed: " + Pkcs11Failures.name(e));
            }
            if (probe.getAsBoolean()) {
                throw new CorruptBlobException(what + " failed its integrity check");
            }
            throw new TokenFailureException("unwrapping the " + what + " failed (" + Pkcs11Failures.name(e)
                    + ") and the token failed its probe");
        }
    }

    /**
     * The known-good operation: a throw-away 16-byte session AES key is generated, wrapped
     * and unwrapped under {@code kek} with {@code mechanism}, then destroyed. True if all
     * three succeed, i.e. the token, the session and the KEK are healthy.
     */
    static boolean probe(PKCS11Token p11, Mechanism mechanism, long kek) {
        long probe = -1;
        long unwrapped = -1;
        try {
            probe = p11.generateKey(new Mechanism(Mechanisms.CKM_AES_KEY_GEN), AttributeVector.newAESSecretKey()
                    .token(false).valueLen(16).sensitive(true).extractable(true));
            byte[] wrapped = p11.wrapKey(mechanism, kek, probe);
            unwrapped = p11.unwrapKey(mechanism, kek, wrapped, AttributeVector.newSecretKey(
                    org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_GENERIC_SECRET).token(false).sensitive(true));
            return true;
        } catch (TokenException | RuntimeException e) {
            return false;
        } finally {
            SessionObjects.destroyQuietly(p11, probe);
            SessionObjects.destroyQuietly(p11, unwrapped);
        }
    }
}
