package dev.keyescrow.core.secret;

/**
 * Capability token required to read plaintext out of a {@link SecretBytes}.
 *
 * <p>It grants nothing by itself; its only purpose is that every call site that exposes
 * plaintext names it, so an audit of plaintext exposure is one {@code grep}.
 */
public final class SecretAccess {
    private static final SecretAccess PLAINTEXT = new SecretAccess();

    private SecretAccess() {
    }

    /** The token for code that must see plaintext key material or shares. */
    public static SecretAccess plaintext() {
        return PLAINTEXT;
    }
}
