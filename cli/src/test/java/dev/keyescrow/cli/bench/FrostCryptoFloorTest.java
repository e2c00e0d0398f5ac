package dev.keyescrow.cli.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.frost.JdkEd25519;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class FrostCryptoFloorTest {
    @Test
    void everyFloorRoundSignsForRealAndTheJdkVerifiesIt() throws Exception {
        try (FrostCryptoFloor floor = new FrostCryptoFloor(SecureRandom.getInstance("DRBG"))) {
            // the aggregate inside throws if a share or the signature fails; measure() runs it
            assertTrue(floor.measure(1, 3) > 0, "a round costs CPU time");
            byte[] signature = floor.signOnce(7);
            byte[] message = floor.message();
            assertTrue(JdkEd25519.verifies(floor.publicKey(), message, signature), "SunEC accepts the signature");
            message[0] ^= 1;
            assertFalse(JdkEd25519.verifies(floor.publicKey(), message, signature), "and only for its message");
        }
    }
}
