package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.journal.blob.BlobId;
import dev.keyescrow.journal.blob.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Where the sealed ephemeral keys of open requests live, outside the journal so that they
 * can be destroyed: the journal is append-only, and a sealed key kept there for ever would let
 * whoever later controls the coordinator's token open every release the nodes ever journaled.
 * A key is forgotten as soon as its request no longer needs it, and {@link #compact()} then
 * overwrites its bytes ({@code journal.blob.BlobStore}: fsync'd puts and deletes, crash-safe
 * compaction). The journal's {@code request-created} record names the blob by its id (SHA-256
 * of the sealed envelope), which still binds the record to the exact bytes.
 */
public final class SealedKeyStore implements AutoCloseable {
    /** The store's directory under the coordinator's state directory. */
    public static final String DIRECTORY = "sealed-keys";

    private final BlobStore blobs;

    private SealedKeyStore(BlobStore blobs) {
        this.blobs = blobs;
    }

    public static SealedKeyStore open(Path stateDirectory) throws IOException {
        return new SealedKeyStore(BlobStore.open(stateDirectory.resolve(DIRECTORY)));
    }

    /** Stores a sealed envelope durably and returns its id (lowercase hex). */
    public String put(byte[] envelope) throws IOException {
        return blobs.put(envelope).hex();
    }

    public Optional<byte[]> get(String id) throws IOException {
        return blobs.get(BlobId.parse(id));
    }

    /** Deletes a sealed key; its bytes are overwritten at the next {@link #compact()}. */
    public void forget(String id) throws IOException {
        blobs.delete(BlobId.parse(id));
    }

    /** The ids held now. */
    public Set<String> ids() {
        return blobs.ids().stream().map(BlobId::hex).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Overwrites the bytes of forgotten keys, if there are any. */
    public void compact() throws IOException {
        if (blobs.garbageBytes() > 0) {
            blobs.compact();
        }
    }

    @Override
    public void close() throws IOException {
        blobs.close();
    }
}
