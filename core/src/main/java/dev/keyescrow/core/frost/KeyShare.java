package dev.keyescrow.core.frost;

import java.util.Objects;

/**
 * What one participant holds to sign (RFC 9591's KeyPackage): its identifier, its secret
 * signing share, its public verification share, the group public key and the threshold.
 * The constructor checks that the verification share is the share's public image.
 */
public final class KeyShare implements AutoCloseable {
    private final ParticipantId id;
    private final SecretScalar signingShare;
    private final GroupElement verificationShare;
    private final GroupElement groupPublicKey;
    private final int threshold;

    /** Takes {@code signingShare}: closing this key share destroys it. */
    public KeyShare(ParticipantId id, SecretScalar signingShare, GroupElement groupPublicKey, int threshold) {
        this.id = Objects.requireNonNull(id, "id");
        this.signingShare = Objects.requireNonNull(signingShare, "signingShare");
        this.groupPublicKey = Objects.requireNonNull(groupPublicKey, "groupPublicKey");
        if (threshold < 1 || threshold > ParticipantId.MAX) {
            throw new IllegalArgumentException("threshold must be 1 to " + ParticipantId.MAX);
        }
        this.threshold = threshold;
        this.verificationShare = GroupElement.of(Ed25519Group.baseMul(signingShare.scalar()));
    }

    public ParticipantId id() {
        return id;
    }

    public SecretScalar signingShare() {
        return signingShare;
    }

    public GroupElement verificationShare() {
        return verificationShare;
    }

    public GroupElement groupPublicKey() {
        return groupPublicKey;
    }

    public int threshold() {
        return threshold;
    }

    @Override
    public void close() {
        signingShare.destroy();
    }

    @Override
    public String toString() {
        return "KeyShare[" + id + ", threshold " + threshold + ", group key " + groupPublicKey + "]";
    }
}
