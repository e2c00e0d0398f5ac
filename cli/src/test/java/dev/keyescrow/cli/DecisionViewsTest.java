package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.CeremonyChecksTest.Result;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprints and names shown where people decide: {@code escrow show} and {@code escrow request status}. */
class DecisionViewsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void show_printsTheRecipientAndCoordinatorKeyFingerprints() throws Exception {
        SoftwareP256Signer coordinator = SoftwareP256Signer.generate(RANDOM);
        byte[] recipient = SoftwareP256Signer.generate(RANDOM).publicKey();
        Instant now = Instant.now();
        CanonicalRequest request = new CanonicalRequest("req-1", Operation.EXPORT, "payments", 1,
                new RequestParams.Export(recipient), "operator", "lost key", now, now.plusSeconds(600),
                new byte[16], SoftwareP256Signer.generate(RANDOM).publicKey());
        JsonObject view = new JsonObject().put("canonical", new String(request.canonicalJson(), StandardCharsets.UTF_8))
                .put("digest", request.digest()).put("state", "PENDING").put("approvals", 0).put("threshold", 2)
                .put("coordinatorSignature", Base64.getEncoder().encodeToString(
                        CoordinatorStatement.sign(coordinator, Kind.REQUEST, request.digest())));
        try (RecordingServer node = new RecordingServer().answer("GET /v1/requests/req-1", view.encode())
                .answer("GET /v1/node", new JsonObject().put("coordinatorPublicKey",
                        Base64.getEncoder().encodeToString(coordinator.publicKey())).encode())) {
            Result r = CeremonyChecksTest.escrow("", "show", "req-1", "--node", node.url());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("recipient     key SHA-256 " + sha256(recipient)), r.out());
            assertTrue(r.out().contains("key pinned by the node, SHA-256 " + sha256(coordinator.publicKey())),
                    r.out());
        }
    }

    @Test
    void requestStatus_namesDeniersAndTheNodesThatReleased() throws Exception {
        JsonObject status = new JsonObject().put("requestId", "req-1").put("operation", "USE").put("keyId", "payments")
                .put("version", 1).put("state", "ACTIVE").put("approvals", 2).put("threshold", 2)
                .put("approvers", new JsonArray().add("custodian-1").add("custodian-3"))
                .put("deniers", new JsonArray().add("custodian-2"))
                .put("releases", new JsonArray().add(new JsonObject().put("index", 1).put("nodeId", "node-1"))
                        .add(new JsonObject().put("index", 3).put("nodeId", "node-3")))
                .put("badReleases", new JsonArray()).put("shreddedNodes", new JsonArray())
                .put("history", new JsonArray());
        Path token = dir.resolve("token");
        Files.writeString(token, "secret\n");
        try (RecordingServer coordinator = new RecordingServer().answer("GET /v1/requests/req-1", status.encode())) {
            Result r = CeremonyChecksTest.escrow("", "request", "status", "req-1", "--coordinator", coordinator.url(),
                    "--token-file", token.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("approved by  custodian-1, custodian-3"), r.out());
            assertTrue(r.out().contains("denied by    custodian-2"), r.out());
            assertTrue(r.out().contains("released     share 1 by node-1, share 3 by node-3"), r.out());
            assertTrue(r.out().contains("BAD releases none"), r.out());
        }
    }
}
