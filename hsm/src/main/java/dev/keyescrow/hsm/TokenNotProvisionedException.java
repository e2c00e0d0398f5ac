package dev.keyescrow.hsm;

/**
 * The token lacks the keys a provisioned token has (identity, transport, an epoch KEK),
 * or holds an ambiguous set. A node refuses to serve with such a token and says so: the
 * quorum re-provisions it (REFRESH). Never provision over it automatically.
 */
public final class TokenNotProvisionedException extends TokenFailureException {
    public TokenNotProvisionedException(String message) {
        super(message);
    }
}
