package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.EdwardsPoint;
import cafe.cryptography.curve25519.Scalar;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The coordinator's side (RFC 9591 section 5.3, aggregate, and 5.4, verify_signature_share):
 * checks every signature share against the signer's verification share, naming the first
 * that fails, then sums them into an RFC 8032 signature R || z.
 */
public final class FrostAggregator {
    /** R (32 bytes) || z (32 bytes). */
    public static final int SIGNATURE_SIZE = 64;

    private final PublicKeyPackage publicKeys;

    public FrostAggregator(PublicKeyPackage publicKeys) {
        this.publicKeys = Objects.requireNonNull(publicKeys, "publicKeys");
    }

    /** Checks z_i * G == D_i + rho_i * E_i + (c * lambda_i) * Y_i. */
    public void verifyShare(SignatureShare share, CommitmentList commitments, byte[] message)
            throws InvalidSignatureShareException {
        verifyShare(share, commitments, new SigningSession(publicKeys.groupPublicKey(), commitments, message));
    }

    /**
     * Verifies every share and aggregates.
     *
     * @throws InvalidSignatureShareException naming the first participant (by identifier) whose share fails
     * @throws IllegalArgumentException if the shares are not exactly one per committed signer,
     *     the signers are fewer than t, or one is not a participant of this key
     */
    public byte[] aggregate(CommitmentList commitments, byte[] message, Collection<SignatureShare> shares)
            throws InvalidSignatureShareException {
        Objects.requireNonNull(message, "message");
        if (commitments.size() < publicKeys.threshold()) {
            throw new IllegalArgumentException("a signature needs " + publicKeys.threshold() + " signers");
        }
        Map<ParticipantId, SignatureShare> byId = new TreeMap<>();
        for (SignatureShare share : shares) {
            if (byId.put(share.id(), share) != null) {
                throw new IllegalArgumentException("two signature shares from " + share.id());
            }
        }
        if (!byId.keySet().equals(new TreeSet<>(commitments.participants()))) {
            throw new IllegalArgumentException("signature shares must come from exactly the committed signers");
        }
        SigningSession session = new SigningSession(publicKeys.groupPublicKey(), commitments, message);
        Scalar z = Scalar.ZERO;
        for (SignatureShare share : byId.values()) {
            verifyShare(share, commitments, session);
            z = z.add(Ed25519Group.decodeScalar(share.value()));
        }
        byte[] signature = new byte[SIGNATURE_SIZE];
        System.arraycopy(session.groupCommitmentBytes(), 0, signature, 0, 32);
        System.arraycopy(z.toByteArray(), 0, signature, 32, 32);
        if (!Ed25519.verify(signature, 0, publicKeys.groupPublicKey().toBytes(), 0, message, 0, message.length)) {
            throw new IllegalStateException("aggregated signature does not verify although every share did");
        }
        return signature;
    }

    private void verifyShare(SignatureShare share, CommitmentList commitments, SigningSession session)
            throws InvalidSignatureShareException {
        SigningCommitment commitment = commitments.commitmentOf(share.id()).orElseThrow(
                () -> new IllegalArgumentException(share.id() + " has no commitment in this session"));
        GroupElement verificationShare = publicKeys.verificationShareOf(share.id());
        Scalar rho = session.bindingFactors().of(share.id());
        Scalar lambda = session.lagrangeCoefficient(share.id());
        EdwardsPoint expected = commitment.hiding().point()
                .add(commitment.binding().point().multiply(rho))
                .add(verificationShare.point().multiply(session.challenge().multiply(lambda)));
        EdwardsPoint actual = Ed25519Group.baseMul(Ed25519Group.decodeScalar(share.value()));
        if (!Ed25519Group.sameElement(expected, actual)) {
            throw new InvalidSignatureShareException(share.id());
        }
    }
}
