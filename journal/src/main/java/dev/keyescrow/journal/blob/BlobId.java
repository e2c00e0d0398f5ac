package dev.keyescrow.journal.blob;

import dev.keyescrow.journal.internal.Sha256;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A blob's name: the lowercase hex SHA-256 of its bytes. The caller journals this value, so
 * the journal's signature covers the blob's content without holding it.
 */
public record BlobId(String hex) {
    public BlobId {
        Objects.requireNonNull(hex, "hex");
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("blob id must be 64 lowercase hex digits");
        }
    }

    /** The id of {@code bytes}. */
    public static BlobId of(byte[] bytes) {
        return new BlobId(HexFormat.of().formatHex(Sha256.of(bytes)));
    }

    /** Parses a journaled id. */
    public static BlobId parse(String hex) {
        return new BlobId(hex);
    }

    byte[] raw() {
        return HexFormat.of().parseHex(hex);
    }

    static BlobId fromRaw(byte[] raw) {
        return new BlobId(HexFormat.of().formatHex(raw));
    }

    @Override
    public String toString() {
        return hex;
    }
}
