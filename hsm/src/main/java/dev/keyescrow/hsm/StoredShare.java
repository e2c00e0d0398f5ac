package dev.keyescrow.hsm;

import java.util.Objects;

/** A share's reference and its current blob: what the caller's blob store keeps per share. */
public record StoredShare(ShareRef ref, ShareBlob blob) {
    public StoredShare {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(blob, "blob");
    }
}
