package dev.keyescrow.hsm;

import java.util.Objects;

/** The outcome of an import: the blob to store, and the signed import receipt. */
public record ImportedShare(StoredShare stored, SignedStatement receipt) {
    public ImportedShare {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(receipt, "receipt");
    }
}
