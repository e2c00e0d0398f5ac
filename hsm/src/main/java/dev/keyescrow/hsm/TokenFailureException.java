package dev.keyescrow.hsm;

/**
 * The token itself failed: unreachable, logged out, out of memory, an object missing, a
 * PKCS#11 call refused for a reason other than the input's integrity. Nothing was signed.
 * Stop serving and alert; a retry may succeed once the token is back.
 */
public class TokenFailureException extends HsmException {
    public TokenFailureException(String message) {
        super(message);
    }

    public TokenFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
