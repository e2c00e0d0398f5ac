package dev.keyescrow.coordinator.ceremony;

import dev.keyescrow.core.integrity.Manifest;
import java.util.List;
import java.util.Objects;

/**
 * A ceremony split and wrapped but not yet started: the unsigned manifest, each node's
 * wrapped share (an import envelope, ciphertext only) and the key's public key (empty for
 * AES). It holds no plaintext: the key and its shares were zeroed when it was made
 * ({@link KeyCeremony#stage}), so it may wait (for the background thread) without exposing
 * the key. {@link KeyCeremony#run} journals it, signs the imports (their deadline counts
 * from then), publishes them and collects the receipts.
 */
public final class StagedCeremony {
    /** One node's wrapped share, to be signed as an import when the ceremony runs. */
    record Import(String nodeId, int index, int length, byte[] envelope) {
        Import {
            Objects.requireNonNull(nodeId, "nodeId");
            envelope = envelope.clone();
        }

        @Override
        public byte[] envelope() {
            return envelope.clone();
        }
    }

    private final Manifest manifest;
    private final List<Import> imports;
    private final byte[] publicKey;

    StagedCeremony(Manifest manifest, List<Import> imports, byte[] publicKey) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.imports = List.copyOf(imports);
        this.publicKey = publicKey.clone();
        if (this.imports.size() != manifest.shareCount()) {
            throw new IllegalArgumentException("one import per share is needed");
        }
    }

    /** The manifest the nodes will be asked to confirm (unsigned until every receipt is in). */
    public Manifest manifest() {
        return manifest;
    }

    List<Import> imports() {
        return imports;
    }

    byte[] publicKey() {
        return publicKey.clone();
    }
}
