package dev.keyescrow.hsm;

/**
 * A peer's public key (an ephemeral key in an import envelope or a request) is not a
 * valid uncompressed P-256 point. A public input: refuse the request, nothing changed.
 */
public final class InvalidPeerKeyException extends HsmException {
    public InvalidPeerKeyException(String message) {
        super(message);
    }
}
