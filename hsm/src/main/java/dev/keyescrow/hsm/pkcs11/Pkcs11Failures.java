package dev.keyescrow.hsm.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ENCRYPTED_DATA_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ENCRYPTED_DATA_LEN_RANGE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_GENERAL_ERROR;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_WRAPPED_KEY_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_WRAPPED_KEY_LEN_RANGE;

import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Reading PKCS#11 failures. Only return-value names go into messages (never attribute
 * values or data). Which codes may mean "bad wrapped bytes" is listed here; SoftHSM2 2.6
 * uses CKR_GENERAL_ERROR for a failed RFC 5649 check, so such a code is only a suspicion
 * that the caller confirms by probing the token.
 */
final class Pkcs11Failures {
    private Pkcs11Failures() {
    }

    static String name(TokenException e) {
        if (e instanceof PKCS11Exception p) {
            return p.getErrorName();
        }
        return "wrapper failure (" + e.getClass().getSimpleName() + ")";
    }

    /** Whether an unwrap failure may be caused by the wrapped bytes rather than the token. */
    static boolean mayBeBadWrappedBytes(TokenException e) {
        if (!(e instanceof PKCS11Exception p)) {
            return false;
        }
        long code = p.getErrorCode();
        return code == CKR_GENERAL_ERROR || code == CKR_WRAPPED_KEY_INVALID || code == CKR_WRAPPED_KEY_LEN_RANGE
                || code == CKR_ENCRYPTED_DATA_INVALID || code == CKR_ENCRYPTED_DATA_LEN_RANGE;
    }
}
