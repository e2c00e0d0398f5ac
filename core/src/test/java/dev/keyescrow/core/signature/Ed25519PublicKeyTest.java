package dev.keyescrow.core.signature;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.secret.SecretBytes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Custodian keys must be canonical encodings of points of prime order: under a small-order
 * key (the identity above all) a signature verifies for any message with R = [S]B, so such a
 * custodian's approvals could be forged by anyone.
 */
class Ed25519PublicKeyTest {
    /** The small-order points of edwards25519 (both signs), encodings with y at or above p, a mixed-order point. */
    @ParameterizedTest
    @ValueSource(strings = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        // the base point plus a point of order 8: on the curve, canonical, but not of prime order
        "da99e28ba529cdde35a25fba9059e78ecaee239f99755b9b1aa4f65df00803e2"
    })
    void smallOrderAndNonCanonicalKeysAreRefused(String hex) {
        byte[] key = HexFormat.of().parseHex(hex);
        assertFalse(Ed25519.isValidPublicKey(key), hex);
        assertThrows(IllegalArgumentException.class, () -> new Holder(1, "custodian-1", key, "node-1",
                new ShareCommitment(1, new byte[32], "ab".repeat(32))), "a manifest cannot pin it either");
    }

    @Test
    void aManifestRefusesTwoHoldersWithOneKey() {
        try (SecretBytes key = Ed25519.generatePrivateKey(new SecureRandom())) {
            byte[] shared = Ed25519.publicKeyOf(key);
            List<Holder> holders = List.of(
                    new Holder(1, "custodian-1", shared, "node-1", new ShareCommitment(1, new byte[32], "ab".repeat(32))),
                    new Holder(2, "custodian-2", shared, "node-2", new ShareCommitment(2, new byte[32], "ab".repeat(32))));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Manifest("k", 1,
                    KeyAlgorithm.AES_256, 2, holders, new Kcv("123abc")));
            assertTrue(refused.getMessage().contains("custodian-2 has the public key of another holder"),
                    refused.getMessage());
        }
    }

    @Test
    void theBasePointIsValid() {
        assertTrue(Ed25519.isValidPublicKey(HexFormat.of().parseHex(
                "5866666666666666666666666666666666666666666666666666666666666666")));
    }
}
