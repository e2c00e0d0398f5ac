package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.core.testing.DeterministicRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** The seed-to-scalar expansion agrees with Bouncy Castle's RFC 8032 key derivation for any seed. */
class Ed25519KeyImportProperties {
    @Property(tries = 20)
    void anySeedSplitKeepsBouncyCastlesPublicKey(@ForAll @Size(32) byte[] seed) {
        byte[] expected = new byte[32];
        Ed25519.generatePublicKey(seed, 0, expected, 0);
        try (SecretScalar secret = Ed25519KeyImport.secretScalarOf(seed);
             DealerSplit split = TrustedDealer.split(secret, 2, 3, new DeterministicRandom(seed[0]))) {
            assertEquals(GroupElement.fromBytes(expected), split.publicKeyPackage().groupPublicKey());
        }
    }
}
