package dev.keyescrow.core.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Project Wycheproof ECDSA P-256 / SHA-256 vectors in P1363 (r || s) form (Apache-2.0). */
class EcdsaP256WycheproofTest {
    @Test
    void everyWycheproofVectorHasTheExpectedOutcome() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json")) {
            root = new ObjectMapper().readTree(in);
        }
        HexFormat hex = HexFormat.of();
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode group : root.get("testGroups")) {
            byte[] key = hex.parseHex(group.get("publicKey").get("uncompressed").asText());
            for (JsonNode test : group.get("tests")) {
                count++;
                String result = test.get("result").asText();
                boolean valid;
                try {
                    EcdsaP256.verify(key, hex.parseHex(test.get("msg").asText()), hex.parseHex(test.get("sig").asText()));
                    valid = true;
                } catch (SignatureException e) {
                    valid = false;
                }
                if (!result.equals("acceptable") && valid != result.equals("valid")) {
                    failures.add("tcId " + test.get("tcId").asInt() + " (" + test.get("comment").asText() + ")");
                }
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), count);
        assertEquals(List.of(), failures);
    }

    @Test
    void softwareSignerSignaturesVerifyAndAreDeterministic() throws Exception {
        SoftwareP256Signer signer = SoftwareP256Signer.generate(new DeterministicRandom(5));
        byte[] message = "journal head".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.sign(message);
        assertEquals(64, signature.length);
        EcdsaP256.verify(signer.publicKey(), message, signature);
        assertEquals(HexFormat.of().formatHex(signature), HexFormat.of().formatHex(signer.sign(message)));
        byte[] other = "journal head!".getBytes(StandardCharsets.UTF_8);
        assertThrows(SignatureException.class, () -> EcdsaP256.verify(signer.publicKey(), other, signature));
        assertThrows(SignatureException.class,
                () -> EcdsaP256.verify(signer.publicKey(), message, java.util.Arrays.copyOf(signature, 63)));
        assertEquals(64, EcdsaP256.fingerprint(signer.publicKey()).length());
        assertEquals("SoftwareP256Signer[private key redacted]", signer.toString());
    }
}
