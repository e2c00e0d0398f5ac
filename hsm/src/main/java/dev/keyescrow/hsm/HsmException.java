package dev.keyescrow.hsm;

import dev.keyescrow.core.error.KeyEscrowException;

/**
 * Base of the token layer's checked failures. Messages hold public values only (share
 * references, epochs, PKCS#11 return-value names), never key material.
 */
public abstract class HsmException extends KeyEscrowException {
    protected HsmException(String message) {
        super(message);
    }

    protected HsmException(String message, Throwable cause) {
        super(message, cause);
    }
}
