package dev.keyescrow.core.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.CorruptShareException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private final DeterministicRandom random = new DeterministicRandom(99);
    private final List<SecretBytes> custodianKeys = new ArrayList<>();

    private Manifest manifestFor(List<Share> shares, SecretBytes key) {
        List<Holder> holders = new ArrayList<>();
        for (Share share : shares) {
            byte[] salt = new byte[ShareCommitment.SALT_LENGTH];
            random.nextBytes(salt);
            SecretBytes custodianKey = Ed25519.generatePrivateKey(random);
            custodianKeys.add(custodianKey);
            holders.add(new Holder(share.index(), "custodian-" + share.index(), Ed25519.publicKeyOf(custodianKey),
                    "node-" + share.index(), ShareCommitment.compute("payments-key", 1, share, salt)));
        }
        return new Manifest("payments-key", 1, KeyAlgorithm.AES_256, shares.get(0).parameters().threshold(), holders,
                Kcv.ofAesKey(key));
    }

    @Test
    void reconstructVerifiesEveryShareAndCountersignaturesVerify() throws Exception {
        SecretBytes key = SecretBytes.copyFrom(new byte[32]);
        List<Share> shares = new Shamir(random).split(key, 3, 5);
        Manifest manifest = manifestFor(shares, key);
        try (SecretBytes back = manifest.reconstruct(shares.subList(1, 4))) {
            assertTrue(back.equalsSecret(key));
        }
        byte[] statement = manifest.countersignatureStatement("custodian-2");
        assertEquals("keyescrow-manifest-v1\npayments-key\n1\n" + manifest.digest() + "\ncustodian-2",
                new String(statement, StandardCharsets.UTF_8));
        manifest.verifyCountersignature("custodian-2", Ed25519.sign(custodianKeys.get(1), statement));
        assertThrows(SignatureException.class, () -> manifest.verifyCountersignature("custodian-3",
                Ed25519.sign(custodianKeys.get(1), manifest.countersignatureStatement("custodian-3"))));
        // AES KCV of the all-zero 256-bit key: AES-256(0^256, 0^128) = dc95c078...
        assertEquals("dc95c0", manifest.kcv().hex());
    }

    @Property(tries = 30)
    void aTamperedShareIsNamedByIndex(@ForAll @IntRange(min = 0, max = 4) int victim,
                                      @ForAll @IntRange(min = 0, max = 31) int at) throws Exception {
        SecretBytes key = SecretBytes.copyFrom(new byte[32]);
        List<Share> shares = new ArrayList<>(new Shamir(random).split(key, 3, 5));
        Manifest manifest = manifestFor(shares, key);
        Share good = shares.get(victim);
        byte[] bad = good.value().toByteArray(SecretAccess.plaintext());
        bad[at] ^= 0x01;
        shares.set(victim, Share.of(good.splitId(), good.parameters(), good.index(), SecretBytes.copyFrom(bad)));
        CorruptShareException e = assertThrows(CorruptShareException.class, () -> manifest.reconstruct(shares));
        assertEquals(victim + 1, e.index());
    }
}
