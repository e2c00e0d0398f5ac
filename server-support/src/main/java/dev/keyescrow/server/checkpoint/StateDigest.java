package dev.keyescrow.server.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 over a sequence of fields, each length-prefixed so that no two different sequences
 * give the same bytes ({@code "ab","c"} and {@code "a","bc"} differ). A ledger feeds it its
 * state in a fixed order (sorted keys, never hash-map order) to get a digest that two ledgers
 * with the same state share. Public data only: ledgers hold no plaintext secret.
 */
public final class StateDigest {
    private final MessageDigest sha256;

    /** Starts a digest of the state of the ledger called {@code ledger} ({@code node}, {@code coordinator}). */
    public StateDigest(String ledger) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides no SHA-256", e);
        }
        field("keyescrow-state-digest-v1").field(ledger);
    }

    /** Adds one text field. */
    public StateDigest field(String value) {
        return field(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds one number. */
    public StateDigest field(long value) {
        return field(Long.toString(value));
    }

    /** Adds one byte field. */
    public StateDigest field(byte[] value) {
        int n = value.length;
        sha256.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        sha256.update(value);
        return this;
    }

    /** The 32-byte digest; this object must not be used afterwards. */
    public byte[] finish() {
        return sha256.digest();
    }
}
