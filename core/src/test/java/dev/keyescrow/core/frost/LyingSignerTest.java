package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.testing.DeterministicRandom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A signature share that is not what the participant's verification share allows is named. */
class LyingSignerTest {
    private final DeterministicRandom random = new DeterministicRandom(16);
    private final byte[] message = "pay 10 to mallory".getBytes(StandardCharsets.UTF_8);

    @Test
    void aTamperedShareNamesItsSender() throws Exception {
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, 3, 5, random)) {
            FrostTestKit.Session session = FrostTestKit.runRounds(
                    FrostTestKit.pick(split.shares(), List.of(1, 3, 4)), message, random);
            List<SignatureShare> shares = new ArrayList<>(session.shares());
            byte[] z = shares.get(1).value();
            z[0] ^= 1;
            shares.set(1, new SignatureShare(ParticipantId.of(3), z));
            FrostAggregator aggregator = new FrostAggregator(split.publicKeyPackage());
            InvalidSignatureShareException e = assertThrows(InvalidSignatureShareException.class,
                    () -> aggregator.aggregate(session.commitments(), message, shares));
            assertEquals(ParticipantId.of(3), e.culprit());
            aggregator.verifyShare(shares.get(0), session.commitments(), message);
            assertThrows(InvalidSignatureShareException.class,
                    () -> aggregator.verifyShare(shares.get(1), session.commitments(), message));
        }
    }

    /** Participant 4 signs with a share of another key: its share fails, and only its share. */
    @Test
    void aSignerUsingAnotherShareIsNamed() throws Exception {
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, 3, 5, random);
             SecretScalar otherSecret = Polynomial.randomScalar(random);
             DealerSplit other = TrustedDealer.split(otherSecret, 3, 5, random)) {
            KeyShare liar = new KeyShare(ParticipantId.of(4),
                    SecretScalar.of(other.shares().get(3).signingShare().scalar()),
                    split.publicKeyPackage().groupPublicKey(), 3);
            List<KeyShare> signers = List.of(split.shares().get(1), liar, split.shares().get(4));
            FrostTestKit.Session session = FrostTestKit.runRounds(signers, message, random);
            InvalidSignatureShareException e = assertThrows(InvalidSignatureShareException.class,
                    () -> new FrostAggregator(split.publicKeyPackage())
                            .aggregate(session.commitments(), message, session.shares()));
            assertEquals(ParticipantId.of(4), e.culprit());
        }
    }

    @Test
    void aShareForAnotherMessageIsNamed() throws Exception {
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, 2, 3, random)) {
            List<KeyShare> signers = FrostTestKit.pick(split.shares(), List.of(2, 3));
            List<SigningNonces> nonces = List.of(SigningNonces.generate(signers.get(0), random),
                    SigningNonces.generate(signers.get(1), random));
            CommitmentList commitments = CommitmentList.sorted(nonces.stream().map(SigningNonces::commitment).toList());
            SignatureShare honest = FrostSigner.sign(signers.get(0), nonces.get(0), commitments, message);
            SignatureShare other = FrostSigner.sign(signers.get(1), nonces.get(1), commitments,
                    "pay 1000 to mallory".getBytes(StandardCharsets.UTF_8));
            InvalidSignatureShareException e = assertThrows(InvalidSignatureShareException.class,
                    () -> new FrostAggregator(split.publicKeyPackage())
                            .aggregate(commitments, message, List.of(honest, other)));
            assertEquals(ParticipantId.of(3), e.culprit());
        }
    }
}
