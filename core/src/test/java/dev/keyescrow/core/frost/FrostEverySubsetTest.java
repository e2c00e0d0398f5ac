package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.core.testing.DeterministicRandom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** For every 2 <= t <= n <= 5, every signer set of exactly t signs a standard Ed25519 signature. */
class FrostEverySubsetTest {
    @Test
    void everyTSubsetSigns() throws Exception {
        byte[] message = "every subset".getBytes(StandardCharsets.UTF_8);
        DeterministicRandom random = new DeterministicRandom(5);
        int signatures = 0;
        for (int n = 2; n <= 5; n++) {
            for (int t = 2; t <= n; t++) {
                try (SecretScalar secret = Polynomial.randomScalar(random);
                     DealerSplit split = TrustedDealer.split(secret, t, n, random)) {
                    for (List<Integer> subset : subsets(n, t)) {
                        byte[] signature = FrostTestKit.sign(split.publicKeyPackage(),
                                FrostTestKit.pick(split.shares(), subset), message, random);
                        FrostTestKit.assertStandardVerifiers(
                                split.publicKeyPackage().groupPublicKey().toBytes(), message, signature);
                        signatures++;
                    }
                }
            }
        }
        assertEquals(1 + 4 + 11 + 26, signatures);
    }

    private static List<List<Integer>> subsets(int n, int size) {
        List<List<Integer>> out = new ArrayList<>();
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) == size) {
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if ((mask & (1 << i)) != 0) {
                        ids.add(i + 1);
                    }
                }
                out.add(ids);
            }
        }
        return out;
    }
}
