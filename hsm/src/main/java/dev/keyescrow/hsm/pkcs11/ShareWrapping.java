package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.ShreddedShareException;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.TokenFailureException;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Shares inside the token: unwrapped with the configured RFC 5649 mechanism into a sensitive
 * session object, wrapped under another KEK, destroyed by the caller. A share's value never
 * crosses into this JVM. An unwrap failure is read as a corrupt blob only after the
 * known-good probe succeeds ({@link Unwrapping}).
 */
final class ShareWrapping {
    private final PKCS11Token p11;
    private final Mechanism keyWrap;
    private final EpochKeks keks;

    ShareWrapping(PKCS11Token p11, KeyWrapMechanism keyWrap, EpochKeks keks) {
        this.p11 = p11;
        this.keyWrap = new Mechanism(keyWrap.code());
        this.keks = keks;
    }

    /** Unwraps a stored blob into a session object under its epoch's KEK; the caller destroys it. */
    long openStored(StoredShare stored) throws CorruptBlobException, TokenFailureException {
        Long kek = keks.handle(stored.blob().epoch());
        if (kek == null) {
            throw new ShreddedShareException("share " + stored.ref().label() + " is under epoch "
                    + stored.blob().epoch() + ", whose KEK no longer exists");
        }
        try {
            return unwrap(kek, stored.blob().wrapped(), "stored blob of " + stored.ref().label());
        } catch (CorruptBlobException | TokenFailureException e) {
            if (!keks.contains(stored.blob().epoch())) {
                // a rotation committed between the lookup and the unwrap: the KEK was destroyed
                throw new ShreddedShareException("share " + stored.ref().label() + " is under epoch "
                        + stored.blob().epoch() + ", whose KEK was destroyed during this call");
            }
            throw e;
        }
    }

    /** Unwraps {@code wrapped} under {@code kek} into a session object the caller destroys. */
    long unwrap(long kek, byte[] wrapped, String what) throws CorruptBlobException, TokenFailureException {
        return Unwrapping.unwrap(p11, keyWrap, kek, wrapped, ObjectTemplates.share(), what, this::tokenPassesProbe);
    }

    byte[] wrap(long kek, long share) throws TokenFailureException {
        try {
            return p11.wrapKey(keyWrap, kek, share);
        } catch (TokenException e) {
            throw new TokenFailureException("wrapping a share failed: " + Pkcs11Failures.name(e));
        }
    }

    /** A stored share re-wrapped under {@code kek}, the share's session object destroyed. */
    byte[] rewrap(StoredShare stored, long kek) throws CorruptBlobException, TokenFailureException {
        long share = openStored(stored);
        try {
            return wrap(kek, share);
        } finally {
            destroy(share);
        }
    }

    void destroy(long handle) {
        SessionObjects.destroyQuietly(p11, handle);
    }

    /**
     * The known-good operation that tells a bad blob from a bad token: a throw-away session
     * AES key is generated, wrapped and unwrapped under an epoch KEK.
     */
    boolean tokenPassesProbe() {
        Long kek = keks.anyHandle();
        return kek != null && Unwrapping.probe(p11, keyWrap, kek);
    }
}
