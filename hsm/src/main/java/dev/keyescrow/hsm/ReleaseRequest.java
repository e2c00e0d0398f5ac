package dev.keyescrow.hsm;

import dev.keyescrow.core.format.Identifiers;
import java.util.Objects;

/**
 * What a release needs: the request (id and digest, already checked against its quorum
 * by the caller), the public key the share is wrapped to, and the share. The token checks
 * nothing about approvals: it is told to release only after the node's policy said yes.
 *
 * <p>Two kinds, two key purposes: an ordinary release goes to the coordinator's ephemeral
 * key that the request carries ({@code release}); an EXPORT release goes to the recipient
 * key that the approved request names ({@code export-release}), and its statement also
 * binds the manifest the node pinned and the node's transport key, so the recipient can
 * check it offline.
 */
public final class ReleaseRequest {
    /** Whom the share is wrapped to. */
    public enum Target {
        /** The coordinator's ephemeral key in the request (KEK purpose {@code release}). */
        REQUEST_KEY,
        /** The EXPORT recipient's key named in the approved request (KEK purpose {@code export-release}). */
        RECIPIENT,
        /**
         * The node's own process, for one FROST signing round (KEK purpose {@code frost-sign}):
         * a one-time key that {@link Token#unwrapFrostShare} draws and destroys.
         */
        FROST_SIGNER
    }

    private final String requestId;
    private final byte[] requestDigest;
    private final byte[] peerPublicKey;
    private final StoredShare share;
    private final Target target;
    private final String manifestDigest;

    /** An ordinary release, to the request's ephemeral public key (purpose {@code release}). */
    public ReleaseRequest(String requestId, byte[] requestDigest, byte[] ephemeralPublicKey, StoredShare share) {
        this(requestId, requestDigest, ephemeralPublicKey, share, Target.REQUEST_KEY, null);
    }

    private ReleaseRequest(String requestId, byte[] requestDigest, byte[] peerPublicKey, StoredShare share,
            Target target, String manifestDigest) {
        this.requestId = Identifiers.require(requestId, "requestId");
        if (Objects.requireNonNull(requestDigest, "requestDigest").length != 32) {
            throw new IllegalArgumentException("requestDigest must be 32 bytes (SHA-256)");
        }
        this.requestDigest = requestDigest.clone();
        this.peerPublicKey = Objects.requireNonNull(peerPublicKey, "peerPublicKey").clone();
        this.share = Objects.requireNonNull(share, "share");
        this.target = target;
        if (manifestDigest != null && !manifestDigest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("manifestDigest must be 64 lowercase hex digits");
        }
        this.manifestDigest = manifestDigest;
    }

    /**
     * An EXPORT release (purpose {@code export-release}) to {@code recipientPublicKey}, which
     * must be the one the approved request names; {@code manifestDigest} is the digest of the
     * manifest this node pinned for the share's key version.
     */
    public static ReleaseRequest toRecipient(String requestId, byte[] requestDigest, byte[] recipientPublicKey,
            String manifestDigest, StoredShare share) {
        return new ReleaseRequest(requestId, requestDigest, recipientPublicKey, share, Target.RECIPIENT,
                Objects.requireNonNull(manifestDigest, "manifestDigest"));
    }

    /**
     * A FROST share wrapped to {@code oneTimePublicKey}, a key the node's own process drew for
     * one signing round of request {@code requestId} (purpose {@code frost-sign}). Only
     * {@link Token#unwrapFrostShare} should make one; it is never published.
     */
    public static ReleaseRequest toFrostSigner(String requestId, byte[] requestDigest, byte[] oneTimePublicKey,
            StoredShare share) {
        return new ReleaseRequest(requestId, requestDigest, oneTimePublicKey, share, Target.FROST_SIGNER, null);
    }

    public String requestId() {
        return requestId;
    }

    public byte[] requestDigest() {
        return requestDigest.clone();
    }

    /** The public key the share is wrapped to: the request's ephemeral key, or the export recipient's. */
    public byte[] ephemeralPublicKey() {
        return peerPublicKey.clone();
    }

    public StoredShare share() {
        return share;
    }

    public Target target() {
        return target;
    }

    /** For an EXPORT release, the digest of the manifest the node pinned; empty otherwise. */
    public java.util.Optional<String> manifestDigest() {
        return java.util.Optional.ofNullable(manifestDigest);
    }

    @Override
    public String toString() {
        return "ReleaseRequest[" + target + ", " + requestId + ", " + share.ref().label() + "]";
    }
}
