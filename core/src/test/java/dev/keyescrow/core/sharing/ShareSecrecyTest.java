package dev.keyescrow.core.sharing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With t = 2, one share alone must be uniformly distributed whatever the secret: a
 * chi-square test over 100,000 splits (fixed seed) for two different secrets.
 */
class ShareSecrecyTest {
    private static final int SPLITS = 100_000;
    /** Chi-square critical value, 255 degrees of freedom, alpha = 0.001. */
    private static final double CRITICAL = 330.52;

    private static double chiSquareOfFirstShare(byte secretByte, long seed) {
        Shamir shamir = new Shamir(new DeterministicRandom(seed));
        SecretBytes secret = SecretBytes.copyFrom(new byte[] {secretByte});
        long[] counts = new long[256];
        for (int i = 0; i < SPLITS; i++) {
            List<Share> shares = shamir.split(secret, 2, 3);
            counts[shares.get(0).value().toByteArray(SecretAccess.plaintext())[0] & 0xFF]++;
        }
        double expected = SPLITS / 256.0;
        double chi = 0;
        for (long c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }

    @Test
    void oneShareIsUniformForZeroSecret() {
        double chi = chiSquareOfFirstShare((byte) 0x00, 11);
        assertTrue(chi < CRITICAL, "chi-square " + chi + " >= " + CRITICAL);
    }

    @Test
    void oneShareIsUniformForNonZeroSecret() {
        double chi = chiSquareOfFirstShare((byte) 0xA7, 12);
        assertTrue(chi < CRITICAL, "chi-square " + chi + " >= " + CRITICAL);
    }

    @Test
    void theTestDetectsABiasedShare() {
        // control: a "share" equal to secret XOR (random & 0x7f) never sets the top bit
        DeterministicRandom random = new DeterministicRandom(13);
        long[] counts = new long[256];
        byte[] r = new byte[1];
        for (int i = 0; i < SPLITS; i++) {
            random.nextBytes(r);
            counts[(r[0] & 0x7F)]++;
        }
        double expected = SPLITS / 256.0;
        double chi = 0;
        for (long c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chi > CRITICAL, "the biased control should fail: " + chi);
    }
}
