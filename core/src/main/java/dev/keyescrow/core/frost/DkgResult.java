package dev.keyescrow.core.frost;

import java.util.HexFormat;
import java.util.Objects;

/**
 * A participant's outcome of a DKG: its key share (secret) and the public key package and
 * transcript digest (the same at every honest participant; the manifest pins both).
 */
public record DkgResult(KeyShare keyShare, PublicKeyPackage publicKeyPackage, byte[] transcriptDigest)
        implements AutoCloseable {
    public DkgResult {
        Objects.requireNonNull(keyShare, "keyShare");
        Objects.requireNonNull(publicKeyPackage, "publicKeyPackage");
        transcriptDigest = transcriptDigest.clone();
    }

    @Override
    public byte[] transcriptDigest() {
        return transcriptDigest.clone();
    }

    @Override
    public void close() {
        keyShare.close();
    }

    @Override
    public String toString() {
        return "DkgResult[" + keyShare.id() + ", " + publicKeyPackage + ", transcript "
                + HexFormat.of().formatHex(transcriptDigest) + "]";
    }
}
