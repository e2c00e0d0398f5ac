package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import dev.keyescrow.core.frost.DkgComplaintException.Reason;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One participant of a Pedersen DKG with proofs of knowledge (Komlo and Goldberg, FROST,
 * figure 1) among participants 1..n with threshold t. Round one publishes a commitment
 * and proof; round two sends f_i(j) to every other j; finishing checks each received share
 * against its sender's commitment, so a cheating sender is named and nobody ends up with
 * a share of an unknown key. No party ever computes the group secret.
 *
 * <p>Holds the secret polynomial until {@link #close()}; a participant object runs one
 * ceremony.
 */
public final class DkgParticipant implements AutoCloseable {
    private final ParticipantId self;
    private final int threshold;
    private final int participants;
    private final byte[] context;
    private final Polynomial polynomial;
    private final DkgRound1Package round1;

    private DkgParticipant(ParticipantId self, int threshold, int participants, byte[] context,
                           Polynomial polynomial, DkgRound1Package round1) {
        this.self = self;
        this.threshold = threshold;
        this.participants = participants;
        this.context = context;
        this.polynomial = polynomial;
        this.round1 = round1;
    }

    /**
     * Round one: a random polynomial of degree t - 1, its commitment and the proof.
     *
     * @param context binds the proofs to this ceremony (key id, version, request): never reused
     */
    public static DkgParticipant start(ParticipantId self, DkgContext context, SecureRandom random) {
        return start(self, context.threshold(), context.participants(), context.toBytes(), random);
    }

    /** As above with raw context bytes (the tests' and any other protocol's). */
    static DkgParticipant start(ParticipantId self, int threshold, int participants, byte[] context,
                                SecureRandom random) {
        Objects.requireNonNull(random, "random");
        if (threshold < 2 || threshold > participants || participants > ParticipantId.MAX
                || self.value() > participants) {
            throw new IllegalArgumentException("need 2 <= t <= n <= " + ParticipantId.MAX + " and 1 <= id <= n");
        }
        Polynomial polynomial = Polynomial.random(Polynomial.randomScalar(random), threshold, random);
        VssCommitment commitment = polynomial.commit();
        ProofOfKnowledge proof = ProofOfKnowledge.prove(self, context, polynomial.constantTerm(),
                commitment.constantTerm(), random);
        return new DkgParticipant(self, threshold, participants, context.clone(), polynomial,
                new DkgRound1Package(self, commitment, proof));
    }

    public ParticipantId id() {
        return self;
    }

    /** What to publish (signed) in round one. */
    public DkgRound1Package round1Package() {
        return round1;
    }

    /**
     * Round two: checks every other participant's round-one package, then evaluates this
     * participant's polynomial at each of them.
     *
     * @param round1 the packages of all n participants (this one's included or not)
     * @throws DkgComplaintException naming the first sender (by identifier) whose package fails
     */
    public List<DkgRound2Share> round2Shares(Map<ParticipantId, DkgRound1Package> round1)
            throws DkgComplaintException {
        checkRound1(round1);
        List<DkgRound2Share> shares = new ArrayList<>(participants - 1);
        for (int j = 1; j <= participants; j++) {
            ParticipantId recipient = ParticipantId.of(j);
            if (!recipient.equals(self)) {
                shares.add(new DkgRound2Share(self, recipient, polynomial.evaluate(recipient)));
            }
        }
        return shares;
    }

    /**
     * Finishes: checks each received share against its sender's commitment, sums them with
     * this participant's own evaluation, and derives every verification share and the
     * group public key from the summed commitments. Destroys the polynomial.
     *
     * @throws DkgComplaintException naming the first sender whose package or share fails
     */
    public DkgResult finish(Map<ParticipantId, DkgRound1Package> round1, List<DkgRound2Share> received)
            throws DkgComplaintException {
        Map<ParticipantId, DkgRound1Package> packages = checkRound1(round1);
        Map<ParticipantId, DkgRound2Share> bySender = new TreeMap<>();
        for (DkgRound2Share share : received) {
            if (!share.recipient().equals(self)) {
                throw new IllegalArgumentException("a share for " + share.recipient() + " reached " + self);
            }
            if (bySender.put(share.sender(), share) != null || !packages.containsKey(share.sender())) {
                throw new DkgComplaintException(share.sender(), Reason.MISSING_OR_DUPLICATE);
            }
        }
        for (ParticipantId sender : packages.keySet()) {
            if (!sender.equals(self) && !bySender.containsKey(sender)) {
                throw new DkgComplaintException(sender, Reason.MISSING_OR_DUPLICATE);
            }
        }
        Scalar sum;
        try (SecretScalar own = polynomial.evaluate(self)) {
            sum = own.scalar();
        }
        for (DkgRound2Share share : bySender.values()) {
            if (!packages.get(share.sender()).commitment().verifies(self, share.value())) {
                throw new DkgComplaintException(share.sender(), Reason.SHARE_MISMATCH);
            }
            sum = sum.add(share.value().scalar());
        }
        polynomial.close();
        VssCommitment group = VssCommitment.sum(packages.values().stream().map(DkgRound1Package::commitment).toList());
        PublicKeyPackage publicKeys = PublicKeyPackage.fromCommitment(group, participants);
        KeyShare keyShare = new KeyShare(self, SecretScalar.of(sum), group.constantTerm(), threshold);
        if (!keyShare.verificationShare().equals(publicKeys.verificationShareOf(self))) {
            keyShare.close();
            throw new IllegalStateException("own key share does not match the group commitment");
        }
        return new DkgResult(keyShare, publicKeys, DkgTranscript.digest(context, packages.values()));
    }

    /** Every participant 1..n has a well-formed package with a valid proof; own package is ours. */
    private Map<ParticipantId, DkgRound1Package> checkRound1(Map<ParticipantId, DkgRound1Package> round1)
            throws DkgComplaintException {
        Map<ParticipantId, DkgRound1Package> packages = new TreeMap<>(round1);
        packages.put(self, this.round1);
        for (int j = 1; j <= participants; j++) {
            ParticipantId sender = ParticipantId.of(j);
            DkgRound1Package p = packages.get(sender);
            if (p == null) {
                throw new DkgComplaintException(sender, Reason.MISSING_OR_DUPLICATE);
            }
            if (!p.sender().equals(sender) || p.commitment().threshold() != threshold) {
                throw new DkgComplaintException(sender, Reason.MALFORMED_PACKAGE);
            }
            if (!p.proof().verifies(sender, context, p.commitment().constantTerm())) {
                throw new DkgComplaintException(sender, Reason.INVALID_PROOF);
            }
        }
        if (packages.size() != participants) {
            throw new IllegalArgumentException("round-one packages from outside 1.." + participants);
        }
        return packages;
    }

    @Override
    public void close() {
        polynomial.close();
    }

    @Override
    public String toString() {
        return "DkgParticipant[" + self + ", " + threshold + " of " + participants + "]";
    }
}
