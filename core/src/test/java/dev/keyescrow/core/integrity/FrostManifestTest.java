package dev.keyescrow.core.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.frost.DealerSplit;
import dev.keyescrow.core.frost.Ed25519KeyImport;
import dev.keyescrow.core.frost.SecretScalar;
import dev.keyescrow.core.frost.TrustedDealer;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manifest of a FROST key: what it pins, that it round-trips, and what it refuses. */
class FrostManifestTest {
    private static final byte[] SEED = HexFormat.of().parseHex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"); // RFC 8032 7.1 TEST 1
    private static final byte[] PUBLIC_KEY = HexFormat.of().parseHex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private final DeterministicRandom random = new DeterministicRandom(7);

    private List<Holder> holders(int n) {
        List<Holder> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            SecretBytes custodian = Ed25519.generatePrivateKey(random);
            out.add(new Holder(i, "custodian-" + i, Ed25519.publicKeyOf(custodian), "node-" + i,
                    new ShareCommitment(i, new byte[ShareCommitment.SALT_LENGTH], "ab".repeat(32))));
        }
        return out;
    }

    private FrostPublicKeys dealt(int t, int n) {
        try (SecretScalar secret = Ed25519KeyImport.secretScalarOf(SEED.clone());
             DealerSplit split = TrustedDealer.split(secret, t, n, random)) {
            return FrostPublicKeys.of(split.publicKeyPackage());
        }
    }

    @Test
    void aDkgKeyPinsItsTranscript_whichChangesTheDigest_andADealtKeyHasNone() throws Exception {
        FrostPublicKeys dealt = dealt(3, 5);
        byte[] transcript = new byte[FrostPublicKeys.TRANSCRIPT_LENGTH];
        random.nextBytes(transcript);
        Manifest plain = new Manifest("signing-key", 1, KeyAlgorithm.ED25519, 3, holders(5),
                Kcv.ofPublicKey(PUBLIC_KEY), dealt);
        Manifest dkg = new Manifest(plain.keyId(), 1, KeyAlgorithm.ED25519, 3, plain.holders(), plain.kcv(),
                dealt.withDkgTranscript(transcript));
        String json = new String(dkg.canonicalJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"dkgTranscript\":\"" + HexFormat.of().formatHex(transcript) + "\""), json);
        assertFalse(new String(plain.canonicalJson(), StandardCharsets.UTF_8).contains("dkgTranscript"));
        Manifest back = Manifest.parse(dkg.canonicalJson());
        assertEquals(dkg, back);
        assertArrayEquals(transcript, back.frost().dkgTranscript());
        assertFalse(plain.digest().equals(dkg.digest()), "the transcript is part of what custodians countersign");
        assertThrows(FormatException.class, () -> Manifest.parse(json.replace("\"dkgTranscript\":\"",
                "\"dkgTranscript\":\"0").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pinsTheGroupKeyAndEveryVerificationShareAndRoundTrips() throws Exception {
        FrostPublicKeys keys = dealt(3, 5);
        assertArrayEquals(PUBLIC_KEY, keys.groupPublicKey(), "the imported key keeps its public key");
        Manifest manifest = new Manifest("signing-key", 1, KeyAlgorithm.ED25519, 3, holders(5),
                Kcv.ofPublicKey(PUBLIC_KEY), keys);
        assertEquals(KeyScheme.FROST, manifest.scheme());
        String json = new String(manifest.canonicalJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"scheme\":\"FROST\""), json);
        assertTrue(json.contains("\"groupPublicKey\":\"" + java.util.Base64.getEncoder().encodeToString(PUBLIC_KEY) + "\""), json);
        Manifest back = Manifest.parse(manifest.canonicalJson());
        assertEquals(manifest, back);
        assertEquals(manifest.digest(), back.digest());
        assertEquals(KeyScheme.FROST, back.scheme());
        assertThrows(IllegalStateException.class, () -> back.reconstruct(List.of()), "a FROST key is never rebuilt");
    }

    @Test
    void aShamirManifestCarriesNoSchemeField() {
        Manifest manifest = new Manifest("plain-key", 1, KeyAlgorithm.ED25519, 2, holders(3),
                Kcv.ofPublicKey(PUBLIC_KEY));
        assertEquals(KeyScheme.SHAMIR, manifest.scheme());
        assertFalse(new String(manifest.canonicalJson(), StandardCharsets.UTF_8).contains("scheme"));
    }

    @Test
    void refusesInconsistentSharesAWrongKcvAndOtherAlgorithms() {
        FrostPublicKeys keys = dealt(3, 5);
        List<byte[]> swapped = new ArrayList<>(keys.verificationShares());
        byte[] first = swapped.get(0);
        swapped.set(0, swapped.get(4));
        swapped.set(4, first);
        FrostPublicKeys lying = new FrostPublicKeys(keys.groupPublicKey(), swapped);
        assertThrows(IllegalArgumentException.class, () -> new Manifest("signing-key", 1, KeyAlgorithm.ED25519, 3,
                holders(5), Kcv.ofPublicKey(PUBLIC_KEY), lying));
        assertThrows(IllegalArgumentException.class, () -> new Manifest("signing-key", 1, KeyAlgorithm.ED25519, 3,
                holders(5), new Kcv("000000"), keys));
        assertThrows(IllegalArgumentException.class, () -> new Manifest("signing-key", 1, KeyAlgorithm.AES_256, 3,
                holders(5), Kcv.ofPublicKey(PUBLIC_KEY), keys));
    }

    @Test
    void parseRefusesAnExplicitShamirSchemeAndAnEditedShare() throws Exception {
        Manifest manifest = new Manifest("signing-key", 1, KeyAlgorithm.ED25519, 3, holders(5),
                Kcv.ofPublicKey(PUBLIC_KEY), dealt(3, 5));
        String json = new String(manifest.canonicalJson(), StandardCharsets.UTF_8);
        assertThrows(FormatException.class, () -> Manifest.parse(json.replace("\"scheme\":\"FROST\"",
                "\"scheme\":\"SHAMIR\"").getBytes(StandardCharsets.UTF_8)));
        String share = manifest.frost().verificationShares().size() > 0 ? java.util.Base64.getEncoder()
                .encodeToString(manifest.frost().verificationShareOf(2)) : "";
        String other = java.util.Base64.getEncoder().encodeToString(manifest.frost().verificationShareOf(3));
        assertThrows(FormatException.class, () -> Manifest.parse(json.replaceFirst(java.util.regex.Pattern.quote(share),
                other).getBytes(StandardCharsets.UTF_8)));
    }
}
