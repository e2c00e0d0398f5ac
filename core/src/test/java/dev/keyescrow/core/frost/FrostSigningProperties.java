package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Trusted-dealer keys of random (t, n <= 8), signed by random signer sets. */
class FrostSigningProperties {
    record Setup(int t, int n, long seed, List<Integer> signers) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        Arbitrary<Integer> ns = Arbitraries.integers().between(2, 8);
        return ns.flatMap(n -> Arbitraries.integers().between(2, n).flatMap(t ->
                Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(t, n),
                                Arbitraries.randoms())
                        .as((seed, size, rnd) -> {
                            List<Integer> ids = new ArrayList<>(IntStream.rangeClosed(1, n).boxed().toList());
                            Collections.shuffle(ids, rnd);
                            return new Setup(t, n, seed, ids.subList(0, size));
                        })));
    }

    @Property(tries = 40)
    void anySignerSetOfAtLeastTSignsAndStandardVerifiersAccept(@ForAll("setups") Setup s,
                                                               @ForAll byte[] message) throws Exception {
        DeterministicRandom random = new DeterministicRandom(s.seed());
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, s.t(), s.n(), random)) {
            byte[] signature = FrostTestKit.sign(split.publicKeyPackage(),
                    FrostTestKit.pick(split.shares(), s.signers()), message, random);
            FrostTestKit.assertStandardVerifiers(split.publicKeyPackage().groupPublicKey().toBytes(), message, signature);
        }
    }

    /**
     * t - 1 holders who lie to themselves and to the aggregator that the threshold is t - 1
     * still cannot sign: every share passes its own check, but the sum does not verify.
     */
    @Property(tries = 25)
    void tMinusOneSharesNeverYieldAValidSignature(@ForAll("setups") Setup s, @ForAll byte[] message) {
        Assume.that(s.t() >= 3); // a key share of threshold 1 cannot be built at all
        DeterministicRandom random = new DeterministicRandom(s.seed());
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, s.t(), s.n(), random)) {
            List<KeyShare> honest = FrostTestKit.pick(split.shares(), s.signers().subList(0, s.t() - 1));
            assertThrows(IllegalArgumentException.class, () -> FrostTestKit.runRounds(honest, message, random));
            List<KeyShare> lying = honest.stream().map(k -> new KeyShare(k.id(),
                    SecretScalar.of(k.signingShare().scalar()), k.groupPublicKey(), s.t() - 1)).toList();
            PublicKeyPackage lyingKeys = new PublicKeyPackage(split.publicKeyPackage().groupPublicKey(),
                    s.t() - 1, split.publicKeyPackage().verificationShares());
            FrostTestKit.Session session = FrostTestKit.runRounds(lying, message, random);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new FrostAggregator(lyingKeys)
                    .aggregate(session.commitments(), message, session.shares()));
            assertEquals("aggregated signature does not verify although every share did", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new FrostAggregator(split.publicKeyPackage())
                    .aggregate(session.commitments(), message, session.shares()));
        }
    }
}
