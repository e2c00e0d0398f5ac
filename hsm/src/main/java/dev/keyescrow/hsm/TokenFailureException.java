package dev.keyescrow.hsm;

import dev.keyescrow.core.error.PartUnavailable;

/**
 * The token itself failed: unreachable, logged out, out of memory, an object missing, a
 * PKCS#11 call refused for a reason other than the input's integrity. Nothing was signed.
 * Stop serving and alert; a retry may succeed once the token is back.
 */
public class TokenFailureException extends HsmException implements PartUnavailable {
    public TokenFailureException(String message) {
        super(message);
    }

    public TokenFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String part() {
        return "token";
    }
}
