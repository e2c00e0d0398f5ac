package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.keyescrow.core.testing.DeterministicRandom;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting an existing RFC 8032 key keeps its public key, so old verifiers accept quorum signatures. */
class Ed25519KeyImportTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 section 7.1, TEST 1. */
    @Test
    void rfc8032TestOneKeySplitKeepsItsPublicKey() throws Exception {
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] publicKey = HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        DeterministicRandom random = new DeterministicRandom(8032);
        try (SecretScalar secret = Ed25519KeyImport.secretScalarOf(seed);
             DealerSplit split = TrustedDealer.split(secret, 3, 5, random)) {
            assertArrayEquals(publicKey, split.publicKeyPackage().groupPublicKey().toBytes());
            byte[] message = "migrated".getBytes(StandardCharsets.UTF_8);
            byte[] signature = FrostTestKit.sign(split.publicKeyPackage(),
                    FrostTestKit.pick(split.shares(), List.of(2, 3, 5)), message, random);
            FrostTestKit.assertStandardVerifiers(publicKey, message, signature);
        }
    }
}
