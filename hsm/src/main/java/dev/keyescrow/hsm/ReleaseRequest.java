package dev.keyescrow.hsm;

import dev.keyescrow.core.format.Identifiers;
import java.util.Objects;

/**
 * What a release needs: the request (id and digest, already checked against its quorum
 * by the caller), the coordinator's ephemeral public key from that request, and the share.
 * The token checks nothing about approvals: it is told to release only after the node's
 * policy said yes.
 */
public final class ReleaseRequest {
    private final String requestId;
    private final byte[] requestDigest;
    private final byte[] ephemeralPublicKey;
    private final StoredShare share;

    public ReleaseRequest(String requestId, byte[] requestDigest, byte[] ephemeralPublicKey, StoredShare share) {
        this.requestId = Identifiers.require(requestId, "requestId");
        if (Objects.requireNonNull(requestDigest, "requestDigest").length != 32) {
            throw new IllegalArgumentException("requestDigest must be 32 bytes (SHA-256)");
        }
        this.requestDigest = requestDigest.clone();
        this.ephemeralPublicKey = Objects.requireNonNull(ephemeralPublicKey, "ephemeralPublicKey").clone();
        this.share = Objects.requireNonNull(share, "share");
    }

    public String requestId() {
        return requestId;
    }

    public byte[] requestDigest() {
        return requestDigest.clone();
    }

    public byte[] ephemeralPublicKey() {
        return ephemeralPublicKey.clone();
    }

    public StoredShare share() {
        return share;
    }

    @Override
    public String toString() {
        return "ReleaseRequest[" + requestId + ", " + share.ref().label() + "]";
    }
}
