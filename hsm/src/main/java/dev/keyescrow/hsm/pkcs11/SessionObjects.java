package dev.keyescrow.hsm.pkcs11;

import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;

/** Session objects (shares, transport KEKs, ECDH secrets, probes) are destroyed as soon as used. */
final class SessionObjects {
    private SessionObjects() {
    }

    /** Destroys {@code handle} if it is one (negative: never made); a failure is left to the session's end. */
    static void destroyQuietly(PKCS11Token p11, long handle) {
        if (handle < 0) {
            return;
        }
        try {
            p11.destroyObject(handle);
        } catch (TokenException ignored) {
            // a session object; it dies with the session at the latest
        }
    }
}
