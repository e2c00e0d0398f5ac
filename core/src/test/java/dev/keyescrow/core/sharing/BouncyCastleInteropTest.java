package dev.keyescrow.core.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.threshold.ShamirSecretSplitter;
import org.bouncycastle.crypto.threshold.ShamirSplitSecret;
import org.bouncycastle.crypto.threshold.ShamirSplitSecretShare;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle's {@code ShamirSecretSplitter} in AES mode uses the same field (0x11B) and
 * x = 1..n; its x-coordinates travel apart from the share bytes. Each side reconstructs
 * the other's shares.
 */
class BouncyCastleInteropTest {
    private static final int LENGTH = 32;

    @Test
    void weCombineBouncyCastleShares() throws Exception {
        byte[] secret = new byte[LENGTH];
        new DeterministicRandom(21).nextBytes(secret);
        ShamirSecretSplitter splitter = new ShamirSecretSplitter(ShamirSecretSplitter.Algorithm.AES,
                ShamirSecretSplitter.Mode.Table, LENGTH, new DeterministicRandom(22));
        ShamirSplitSecret split = splitter.resplit(secret.clone(), 3, 5);
        ShamirSplitSecretShare[] bcShares = split.getSecretShares();

        SplitId id = new SplitId("00000000000000bc");
        SharingParameters parameters = SharingParameters.of(3, 5, LENGTH);
        List<Share> ours = new ArrayList<>();
        for (int i : new int[] {4, 1, 2}) {
            ours.add(Share.of(id, parameters, i + 1, SecretBytes.copyFrom(bcShares[i].getEncoded())));
        }
        try (SecretBytes combined = Shamir.combine(ours)) {
            assertArrayEquals(secret, combined.toByteArray(SecretAccess.plaintext()));
        }
    }

    @Test
    void bouncyCastleCombinesOurShares() throws Exception {
        byte[] secret = new byte[LENGTH];
        new DeterministicRandom(23).nextBytes(secret);
        List<Share> ours = new Shamir(new DeterministicRandom(24)).split(SecretBytes.copyFrom(secret), 3, 5);
        ShamirSplitSecretShare[] chosen = new ShamirSplitSecretShare[3];
        int[] pick = {0, 3, 4};
        for (int k = 0; k < 3; k++) {
            Share s = ours.get(pick[k]);
            chosen[k] = new ShamirSplitSecretShare(s.value().toByteArray(SecretAccess.plaintext()), s.index());
        }
        byte[] recovered = new ShamirSplitSecret(ShamirSecretSplitter.Algorithm.AES, ShamirSecretSplitter.Mode.Table,
                chosen).getSecret();
        assertArrayEquals(secret, recovered);
        assertTrue(recovered.length == LENGTH);
    }
}
