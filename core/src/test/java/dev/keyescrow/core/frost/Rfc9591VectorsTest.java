package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyescrow.core.secret.SecretAccess;
import java.io.InputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9591 appendix E.1, FROST(Ed25519, SHA-512), byte for byte (see resources/frost/SOURCE). */
class Rfc9591VectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static JsonNode root;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = Rfc9591VectorsTest.class.getResourceAsStream("/frost/frost-ed25519-sha512.json")) {
            root = new ObjectMapper().readTree(in);
        }
    }

    private static byte[] hex(JsonNode node) {
        return HEX.parseHex(node.asText());
    }

    private static DealerSplit dealerSplit() {
        JsonNode inputs = root.get("inputs");
        List<SecretScalar> coefficients = new ArrayList<>();
        coefficients.add(SecretScalar.moveFrom(hex(inputs.get("group_secret_key"))));
        for (JsonNode c : inputs.get("share_polynomial_coefficients")) {
            coefficients.add(SecretScalar.moveFrom(hex(c)));
        }
        int n = root.get("config").get("MAX_PARTICIPANTS").asInt();
        return TrustedDealer.split(Polynomial.of(coefficients), n);
    }

    @Test
    void contextStringIsTheCiphersuites() {
        assertEquals("FROST(Ed25519, SHA-512)", root.get("config").get("name").asText());
        assertEquals("FROST-ED25519-SHA512-v1", FrostHash.CONTEXT_STRING);
    }

    @Test
    void trustedDealerSharesAndGroupKeyMatch() {
        JsonNode inputs = root.get("inputs");
        try (DealerSplit split = dealerSplit()) {
            assertArrayEquals(hex(inputs.get("group_public_key")), split.publicKeyPackage().groupPublicKey().toBytes());
            for (JsonNode expected : inputs.get("participant_shares")) {
                KeyShare share = split.shares().get(expected.get("identifier").asInt() - 1);
                assertEquals(expected.get("identifier").asInt(), share.id().value());
                assertArrayEquals(hex(expected.get("participant_share")),
                        share.signingShare().toByteArray(SecretAccess.plaintext()));
                assertTrue(split.commitment().verifies(share.id(), share.signingShare()));
                assertEquals(share.verificationShare(), split.publicKeyPackage().verificationShareOf(share.id()));
            }
        }
    }

    @Test
    void roundOneRoundTwoAndSignatureMatch() throws Exception {
        byte[] message = hex(root.get("inputs").get("message"));
        try (DealerSplit split = dealerSplit()) {
            Map<ParticipantId, SigningNonces> nonces = new TreeMap<>();
            for (JsonNode out : root.get("round_one_outputs").get("outputs")) {
                KeyShare share = split.shares().get(out.get("identifier").asInt() - 1);
                SigningNonces n = SigningNonces.fromRandomness(share,
                        hex(out.get("hiding_nonce_randomness")), hex(out.get("binding_nonce_randomness")));
                assertArrayEquals(hex(out.get("hiding_nonce")), n.hiding().toByteArray(SecretAccess.plaintext()));
                assertArrayEquals(hex(out.get("binding_nonce")), n.binding().toByteArray(SecretAccess.plaintext()));
                assertArrayEquals(hex(out.get("hiding_nonce_commitment")), n.commitment().hiding().toBytes());
                assertArrayEquals(hex(out.get("binding_nonce_commitment")), n.commitment().binding().toBytes());
                nonces.put(share.id(), n);
            }
            CommitmentList commitments = CommitmentList.sorted(
                    nonces.values().stream().map(SigningNonces::commitment).toList());
            BindingFactors factors = new BindingFactors(split.publicKeyPackage().groupPublicKey(), commitments, message);
            for (JsonNode out : root.get("round_one_outputs").get("outputs")) {
                ParticipantId id = ParticipantId.of(out.get("identifier").asInt());
                assertArrayEquals(hex(out.get("binding_factor_input")), factors.inputOf(id));
                assertArrayEquals(hex(out.get("binding_factor")), factors.of(id).toByteArray());
            }
            List<SignatureShare> shares = new ArrayList<>();
            for (JsonNode out : root.get("round_two_outputs").get("outputs")) {
                ParticipantId id = ParticipantId.of(out.get("identifier").asInt());
                SignatureShare share = FrostSigner.sign(split.shares().get(id.value() - 1), nonces.get(id),
                        commitments, message);
                assertArrayEquals(hex(out.get("sig_share")), share.value());
                shares.add(share);
            }
            byte[] signature = new FrostAggregator(split.publicKeyPackage()).aggregate(commitments, message, shares);
            assertArrayEquals(hex(root.get("final_output").get("sig")), signature);
            byte[] publicKey = split.publicKeyPackage().groupPublicKey().toBytes();
            assertTrue(Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length));
            assertTrue(jdkVerifies(publicKey, message, signature));
        }
    }

    /** The JDK's own Ed25519 (SunEC), from an X.509 SubjectPublicKeyInfo around the raw key. */
    static boolean jdkVerifies(byte[] publicKey, byte[] message, byte[] signature) throws Exception {
        byte[] spki = new byte[44];
        System.arraycopy(HEX.parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
        System.arraycopy(publicKey, 0, spki, 12, 32);
        PublicKey key = KeyFactory.getInstance("Ed25519", "SunEC").generatePublic(new X509EncodedKeySpec(spki));
        Signature verifier = Signature.getInstance("Ed25519", "SunEC");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }
}
