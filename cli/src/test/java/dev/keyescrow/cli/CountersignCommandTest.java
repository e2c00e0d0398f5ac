package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escrow countersign} against a recording HTTP server that serves a real manifest signed
 * by a real coordinator key: the pinned key is required, and nothing is sent before the KCV is typed.
 */
class CountersignCommandTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String MANIFEST_PATH = "GET /v1/keys/payments/versions/1/manifest";
    private static final String COUNTERSIGN = "POST /v1/keys/payments/versions/1/countersignatures";

    @TempDir
    Path dir;
    private Path keyFile;
    private Path passphrase;
    private SoftwareP256Signer coordinatorKey;
    private Manifest manifest;

    @BeforeEach
    void aManifestPinningThisCustodian() throws Exception {
        passphrase = dir.resolve("pass");
        Files.writeString(passphrase, "custodian passphrase\n");
        keyFile = dir.resolve("custodian-1.key");
        byte[] publicKey;
        try (SecretBytes seed = Ed25519.generatePrivateKey(RANDOM)) {
            publicKey = Ed25519.publicKeyOf(seed);
            CustodianKeyFile.write(keyFile, seed, "custodian passphrase".toCharArray(), RANDOM);
        }
        byte[] other;
        try (SecretBytes seed = Ed25519.generatePrivateKey(RANDOM)) {
            other = Ed25519.publicKeyOf(seed);
        }
        manifest = new Manifest("payments", 1, KeyAlgorithm.AES_256, 2, List.of(
                new Holder(1, "custodian-1", publicKey, "node-1", new ShareCommitment(1, new byte[32], "ab".repeat(32))),
                new Holder(2, "custodian-2", other, "node-2", new ShareCommitment(2, new byte[32], "cd".repeat(32)))),
                new Kcv("b69db8"));
        coordinatorKey = SoftwareP256Signer.generate(RANDOM);
    }

    private RecordingServer coordinatorSigning(SoftwareP256Signer signer) throws Exception {
        return new RecordingServer()
                .answer(MANIFEST_PATH, new JsonObject()
                        .put("canonical", new String(manifest.canonicalJson(), StandardCharsets.UTF_8))
                        .put("digest", manifest.digest())
                        .put("signature", Base64.getEncoder().encodeToString(
                                CoordinatorStatement.sign(signer, Kind.MANIFEST, manifest.digest()))).encode())
                .answer(COUNTERSIGN, "{}");
    }

    private Result countersign(RecordingServer server, String stdin, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("countersign", "payments", "--version", "1", "--as",
                "custodian-1", "--key", keyFile.toString(), "--coordinator", server.url(), "--passphrase-file",
                passphrase.toString()));
        args.addAll(List.of(extra));
        return CeremonyChecksTest.escrow(stdin, args.toArray(String[]::new));
    }

    private String pinned() {
        return Base64.getEncoder().encodeToString(coordinatorKey.publicKey());
    }

    @Test
    void withoutThePinnedCoordinatorKey_nothingIsFetchedOrSigned() throws Exception {
        try (RecordingServer server = coordinatorSigning(coordinatorKey)) {
            Result r = countersign(server, "b69db8\n", "--yes");
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains("--coordinator-key"), r.err());
            assertEquals(List.of(), server.received());
        }
    }

    @Test
    void aWronglyTypedKcv_signsNothing() throws Exception {
        try (RecordingServer server = coordinatorSigning(coordinatorKey)) {
            Result r = countersign(server, "b69db9\n", "--coordinator-key", pinned());
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains("not signed"), r.err());
            assertTrue(r.out().contains("custodian-1 on node-1, key SHA-256 "), r.out());
            assertEquals(List.of(MANIFEST_PATH), server.received(), "no countersignature was sent");
            Result silent = countersign(server, "", "--coordinator-key", pinned());
            assertEquals(2, silent.exit(), "no answer is no confirmation");
            assertEquals(List.of(MANIFEST_PATH, MANIFEST_PATH), server.received(), "no countersignature was sent");
        }
    }

    @Test
    void theTypedKcv_orYes_countersigns() throws Exception {
        try (RecordingServer server = coordinatorSigning(coordinatorKey)) {
            Result typed = countersign(server, "B69DB8\n", "--coordinator-key", pinned());
            assertEquals(0, typed.exit(), typed.err());
            assertTrue(typed.out().contains("signed by the coordinator key "
                    + EcdsaP256.fingerprint(coordinatorKey.publicKey()) + " (checked)"), typed.out());
            assertTrue(typed.out().contains("countersigned payments v1 AES-256 2-of-2 KCV b69db8"), typed.out());
            assertEquals(List.of(MANIFEST_PATH, COUNTERSIGN), server.received());
            Result scripted = countersign(server, "", "--coordinator-key", pinned(), "--yes");
            assertEquals(0, scripted.exit(), scripted.err());
        }
    }

    @Test
    void aManifestSignedByAnotherKey_isNotCountersigned() throws Exception {
        try (RecordingServer server = coordinatorSigning(SoftwareP256Signer.generate(RANDOM))) {
            Result r = countersign(server, "b69db8\n", "--coordinator-key", pinned(), "--yes");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("not signed by the coordinator"), r.err());
            assertEquals(List.of(MANIFEST_PATH), server.received());
        }
    }
}
