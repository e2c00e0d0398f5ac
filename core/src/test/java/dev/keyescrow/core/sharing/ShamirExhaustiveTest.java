package dev.keyescrow.core.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.error.TooFewSharesException;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** For every (t, n) with n ≤ 8: every t-subset reconstructs, every (t-1)-subset is refused. */
class ShamirExhaustiveTest {
    @Test
    void everySubsetOfSmallSplits() throws SharingException {
        Shamir shamir = new Shamir(new DeterministicRandom(1));
        int checkedSubsets = 0;
        for (int n = 2; n <= 8; n++) {
            for (int t = 2; t <= n; t++) {
                SecretBytes secret = SecretBytes.copyFrom(new byte[] {(byte) n, (byte) t, 0, (byte) 0xFF, 42, 1, 2, 3, 9});
                List<Share> shares = shamir.split(secret, t, n);
                for (int mask = 1; mask < (1 << n); mask++) {
                    List<Share> subset = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if ((mask >> i & 1) != 0) {
                            subset.add(shares.get(i));
                        }
                    }
                    if (subset.size() == t) {
                        try (SecretBytes combined = Shamir.combine(subset)) {
                            assertTrue(combined.equalsSecret(secret), t + "-of-" + n + " subset " + mask);
                        }
                        checkedSubsets++;
                    } else if (subset.size() == t - 1) {
                        assertThrows(TooFewSharesException.class, () -> Shamir.combine(subset),
                                t + "-of-" + n + " subset " + mask);
                        checkedSubsets++;
                    }
                }
            }
        }
        // sum over 2 <= t <= n <= 8 of C(n, t) + C(n, t - 1)
        assertEquals(960, checkedSubsets);
    }
}
