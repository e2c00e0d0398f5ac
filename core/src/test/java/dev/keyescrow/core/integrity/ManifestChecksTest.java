package dev.keyescrow.core.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks every manifest review shows: one public key per holder, one holder per node. */
class ManifestChecksTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] key() {
        try (SecretBytes seed = Ed25519.generatePrivateKey(RANDOM)) {
            return Ed25519.publicKeyOf(seed);
        }
    }

    private static Holder holder(int index, byte[] key, String node) {
        return new Holder(index, "custodian-" + index, key, node, new ShareCommitment(index, new byte[32],
                "ab".repeat(32)));
    }

    private static Manifest manifest(String... nodes) {
        List<Holder> holders = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            holders.add(holder(i + 1, key(), nodes[i]));
        }
        return new Manifest("payments", 1, KeyAlgorithm.AES_256, 2, holders, new Kcv("b69db8"));
    }

    @Test
    void holdersOnTheirOwnNodes_giveNoWarning() throws FormatException {
        Manifest m = manifest("node-1", "node-2", "node-3");
        assertEquals(List.of(), ManifestChecks.of(m));
        assertEquals(List.of(), ManifestChecks.ofCanonical(m.canonicalJson()));
    }

    @Test
    void holdersOnOneNode_areNamedWithTheNode() throws FormatException {
        Manifest m = manifest("node-1", "node-2", "node-1", "node-3");
        List<ManifestChecks.Warning> warnings = ManifestChecks.of(m);
        assertEquals(1, warnings.size());
        assertEquals(ManifestChecks.Kind.SHARED_NODE, warnings.get(0).kind());
        assertTrue(warnings.get(0).text().startsWith("holders 1 custodian-1, 3 custodian-3 are all on node node-1"),
                warnings.get(0).text());
        assertEquals(warnings, ManifestChecks.ofCanonical(m.canonicalJson()));
        assertTrue(ManifestChecks.has(warnings, ManifestChecks.Kind.SHARED_NODE));
        assertTrue(!ManifestChecks.has(warnings, ManifestChecks.Kind.DUPLICATE_KEY));
    }

    @Test
    void oneKeyForTwoHolders_isNamedFromTheTextThatDoesNotParse() throws FormatException {
        Manifest m = manifest("node-1", "node-2", "node-3");
        String first = Base64.getEncoder().encodeToString(m.holders().get(0).publicKey());
        String second = Base64.getEncoder().encodeToString(m.holders().get(1).publicKey());
        byte[] forged = new String(m.canonicalJson(), StandardCharsets.UTF_8).replace(second, first)
                .getBytes(StandardCharsets.UTF_8);
        assertThrows(FormatException.class, () -> Manifest.parse(forged), "the manifest itself refuses it");
        List<ManifestChecks.Warning> warnings = ManifestChecks.ofCanonical(forged);
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals(ManifestChecks.Kind.DUPLICATE_KEY, warnings.get(0).kind());
        assertTrue(warnings.get(0).text().startsWith("holders 1 custodian-1, 2 custodian-2 have the same public key"),
                warnings.get(0).text());
    }

    @Test
    void textWithoutHolders_isAFormatException() {
        assertThrows(FormatException.class, () -> ManifestChecks.ofCanonical("{\"threshold\":2}"
                .getBytes(StandardCharsets.UTF_8)));
        assertThrows(FormatException.class, () -> ManifestChecks.ofCanonical("not json".getBytes(
                StandardCharsets.UTF_8)));
    }
}
