package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.CeremonyChecksTest.Result;
import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One person meeting a quorum alone, from the ceremony's side. A coordinator (compromised, or
 * holding registrations from before keys were checked) serves a manifest it really signed in
 * which one public key is listed for two holders, or two holders sit on one node; the attack
 * succeeds if a custodian's tool countersigns it without a word. The server here is a real
 * HTTP server that answers with such manifests and records what it receives.
 */
class SharedNodeManifestAttackTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String MANIFEST_PATH = "GET /v1/keys/payments/versions/1/manifest";
    private static final String COUNTERSIGN = "POST /v1/keys/payments/versions/1/countersignatures";

    @TempDir
    Path dir;
    private Path keyFile;
    private Path passphrase;
    private Path token;
    private byte[] mine;
    private byte[] other;
    private SoftwareP256Signer coordinatorKey;

    @BeforeEach
    void aCustodianAndACoordinator() throws Exception {
        passphrase = dir.resolve("pass");
        Files.writeString(passphrase, "custodian passphrase\n");
        token = dir.resolve("token");
        Files.writeString(token, "operator token\n");
        keyFile = dir.resolve("custodian-1.key");
        try (SecretBytes seed = Ed25519.generatePrivateKey(RANDOM)) {
            mine = Ed25519.publicKeyOf(seed);
            CustodianKeyFile.write(keyFile, seed, "custodian passphrase".toCharArray(), RANDOM);
        }
        try (SecretBytes seed = Ed25519.generatePrivateKey(RANDOM)) {
            other = Ed25519.publicKeyOf(seed);
        }
        coordinatorKey = SoftwareP256Signer.generate(RANDOM);
    }

    private static Holder holder(int index, String custodian, byte[] key, String node) {
        return new Holder(index, custodian, key, node, new ShareCommitment(index, new byte[32], "ab".repeat(32)));
    }

    /** custodian-1 on node-1 and custodian-3 on node-3, with custodian-2 on {@code secondNode}: 3 of 3. */
    private String manifestWithSecondHolderOn(String secondNode) {
        return new String(new Manifest("payments", 1, KeyAlgorithm.AES_256, 3, List.of(holder(1, "custodian-1", mine,
                "node-1"), holder(2, "custodian-2", other, secondNode), holder(3, "custodian-3", otherKey(), "node-3")),
                new Kcv("b69db8")).canonicalJson(), StandardCharsets.UTF_8);
    }

    private static byte[] otherKey() {
        try (SecretBytes seed = Ed25519.generatePrivateKey(RANDOM)) {
            return Ed25519.publicKeyOf(seed);
        }
    }

    /** The coordinator signs whatever text it serves: digest and signature are right for it. */
    private RecordingServer coordinatorServing(String canonical) throws Exception {
        String digest = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        return new RecordingServer().answer(MANIFEST_PATH, new JsonObject().put("canonical", canonical)
                .put("digest", digest).put("signature", Base64.getEncoder().encodeToString(
                        CoordinatorStatement.sign(coordinatorKey, Kind.MANIFEST, digest)))
                .put("countersignatures", new JsonObject()).put("state", "PRE_ACTIVE").encode())
                .answer(COUNTERSIGN, "{}");
    }

    private Result countersign(RecordingServer server, String... extra) {
        List<String> args = new ArrayList<>(List.of("countersign", "payments", "--version", "1", "--as",
                "custodian-1", "--key", keyFile.toString(), "--coordinator", server.url(), "--passphrase-file",
                passphrase.toString(), "--coordinator-key", Base64.getEncoder().encodeToString(
                        coordinatorKey.publicKey()), "--yes"));
        args.addAll(List.of(extra));
        return CeremonyChecksTest.escrow("", args.toArray(String[]::new));
    }

    private Result review(RecordingServer server) {
        return CeremonyChecksTest.escrow("", "key", "manifest", "payments", "--version", "1", "--review",
                "--coordinator", server.url(), "--token-file", token.toString());
    }

    @Test
    void oneKeyForTwoHolders_isNeverCountersigned() throws Exception {
        // the key of custodian-1 listed again for custodian-2: written by hand, as no honest tool makes it
        String canonical = manifestWithSecondHolderOn("node-2").replace(Base64.getEncoder().encodeToString(other),
                Base64.getEncoder().encodeToString(mine));
        try (RecordingServer server = coordinatorServing(canonical)) {
            for (String[] extra : List.of(new String[0], new String[] {"--allow-shared-node"})) {
                Result r = countersign(server, extra);
                assertEquals(2, r.exit(), r.out() + r.err());
                assertTrue(r.err().contains("one public key for two holders"), r.err());
                assertTrue(r.out().contains("WARNING DUPLICATE KEY: holders 1 custodian-1, 2 custodian-2 have the same"
                        + " public key"), r.out());
            }
            assertFalse(server.received().contains(COUNTERSIGN), "nothing was countersigned: " + server.received());
            Result shown = review(server);
            assertEquals(0, shown.exit(), shown.err());
            assertTrue(shown.out().contains("DO NOT COUNTERSIGN"), shown.out());
            assertTrue(shown.out().contains("WARNING DUPLICATE KEY"), shown.out());
        }
    }

    @Test
    void twoHoldersOnOneNode_areCountersignedOnlyWhenAllowed() throws Exception {
        try (RecordingServer server = coordinatorServing(manifestWithSecondHolderOn("node-1"))) {
            Result refused = countersign(server);
            assertEquals(2, refused.exit(), refused.out() + refused.err());
            assertTrue(refused.err().contains("share a node") && refused.err().contains("--allow-shared-node"),
                    refused.err());
            assertTrue(refused.out().contains("WARNING SHARED NODE: holders 1 custodian-1, 2 custodian-2 are all on"
                    + " node node-1"), refused.out());
            assertFalse(server.received().contains(COUNTERSIGN), "nothing was countersigned: " + server.received());

            Result shown = review(server);
            assertEquals(0, shown.exit(), shown.err());
            assertTrue(shown.out().contains("WARNING SHARED NODE"), shown.out());
            assertTrue(shown.out().contains("quorum        3 of 3 holders:"), shown.out());

            Result allowed = countersign(server, "--allow-shared-node");
            assertEquals(0, allowed.exit(), allowed.err());
            assertTrue(server.received().contains(COUNTERSIGN));
        }
    }

    @Test
    void aManifestWithEveryHolderOnItsOwnNode_isCountersignedWithoutWarnings() throws Exception {
        try (RecordingServer server = coordinatorServing(manifestWithSecondHolderOn("node-2"))) {
            Result r = countersign(server);
            assertEquals(0, r.exit(), r.err());
            assertFalse(r.out().contains("WARNING"), r.out());
            assertTrue(r.out().matches("(?s).*digest        ([0-9a-f]{4} ){15}[0-9a-f]{4} \\(recomputed here\\).*"),
                    r.out());
        }
    }
}
