package dev.keyescrow.journal.blob;

import java.io.IOException;

/**
 * A stored entry does not parse, or a blob's bytes no longer hash to its id: the store's files
 * were altered or the disk is failing. Stop; do not serve the blob.
 */
public final class DamagedBlobStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public DamagedBlobStoreException(String message) {
        super(message);
    }
}
