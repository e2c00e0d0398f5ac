package dev.keyescrow.core.error;

/** A signature was malformed (wrong length, bad encoding) or did not verify. */
public final class SignatureException extends KeyEscrowException {
    public SignatureException(String message) {
        super(message);
    }
}
