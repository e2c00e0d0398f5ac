package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What anyone can check of a pinned key without secrets, and the EXPORT recipient's recovery. */
class PublicKeyPackageTest {
    private final DeterministicRandom random = new DeterministicRandom(77);

    @Test
    void consistentPackagesPassAndATamperedShareOrKeyFails() {
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, 3, 5, random)) {
            PublicKeyPackage keys = split.publicKeyPackage();
            assertTrue(keys.isConsistent());
            Map<ParticipantId, GroupElement> swapped = new TreeMap<>(keys.verificationShares());
            swapped.put(ParticipantId.of(5), keys.verificationShareOf(ParticipantId.of(4)));
            assertFalse(new PublicKeyPackage(keys.groupPublicKey(), 3, swapped).isConsistent());
            Map<ParticipantId, GroupElement> early = new TreeMap<>(keys.verificationShares());
            early.put(ParticipantId.of(1), keys.verificationShareOf(ParticipantId.of(2)));
            assertFalse(new PublicKeyPackage(keys.groupPublicKey(), 3, early).isConsistent());
            GroupElement otherKey = keys.verificationShareOf(ParticipantId.of(1));
            assertFalse(new PublicKeyPackage(otherKey, 3, keys.verificationShares()).isConsistent());
        }
    }

    @Test
    void anyTSharesRecoverTheSecretAndAForeignShareIsRefused() {
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, 3, 5, random);
             SecretScalar otherSecret = Polynomial.randomScalar(random);
             DealerSplit other = TrustedDealer.split(otherSecret, 3, 5, random)) {
            for (List<Integer> ids : List.of(List.of(1, 2, 3), List.of(5, 2, 4), List.of(1, 2, 3, 4, 5))) {
                try (SecretScalar recovered = SecretRecovery.recover(FrostTestKit.pick(split.shares(), ids),
                        split.publicKeyPackage())) {
                    assertTrue(recovered.equalsSecret(secret));
                }
            }
            assertThrows(IllegalArgumentException.class, () -> SecretRecovery.recover(
                    FrostTestKit.pick(split.shares(), List.of(1, 2)), split.publicKeyPackage()));
            List<KeyShare> mixed = List.of(split.shares().get(0), split.shares().get(1), other.shares().get(2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SecretRecovery.recover(mixed, split.publicKeyPackage()));
            assertTrue(e.getMessage().contains("participant 3"));
        }
    }
}
