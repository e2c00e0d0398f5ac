package dev.keyescrow.core.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Project Wycheproof's Ed25519 verification vectors (Apache-2.0, see resources/wycheproof). */
class Ed25519WycheproofTest {
    @Test
    void everyWycheproofVectorHasTheExpectedOutcome() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/wycheproof/ed25519_test.json")) {
            root = new ObjectMapper().readTree(in);
        }
        HexFormat hex = HexFormat.of();
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode group : root.get("testGroups")) {
            byte[] key = hex.parseHex(group.get("publicKey").get("pk").asText());
            for (JsonNode test : group.get("tests")) {
                count++;
                boolean expectValid = test.get("result").asText().equals("valid");
                boolean valid;
                try {
                    Ed25519.verify(key, hex.parseHex(test.get("msg").asText()), hex.parseHex(test.get("sig").asText()));
                    valid = true;
                } catch (SignatureException e) {
                    valid = false;
                }
                if (valid != expectValid && !test.get("result").asText().equals("acceptable")) {
                    failures.add("tcId " + test.get("tcId").asInt() + " " + test.get("comment").asText());
                }
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), count);
        assertEquals(List.of(), failures);
    }

    @Test
    void signThenVerifyAndWrongLengthsAreRefused() throws Exception {
        SecretBytes key = Ed25519.generatePrivateKey(new DeterministicRandom(1));
        byte[] publicKey = Ed25519.publicKeyOf(key);
        byte[] message = "keyescrow".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = Ed25519.sign(key, message);
        Ed25519.verify(publicKey, message, signature);
        byte[] longer = java.util.Arrays.copyOf(signature, 65);
        SignatureException e = org.junit.jupiter.api.Assertions.assertThrows(SignatureException.class,
                () -> Ed25519.verify(publicKey, message, longer));
        assertTrue(e.getMessage().contains("exactly 64"));
        signature[0] ^= 1;
        org.junit.jupiter.api.Assertions.assertThrows(SignatureException.class,
                () -> Ed25519.verify(publicKey, message, signature));
    }
}
