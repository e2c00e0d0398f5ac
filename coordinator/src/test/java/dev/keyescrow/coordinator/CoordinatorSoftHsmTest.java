package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.hsm.VaultKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create and USE once with real SoftHSM2 tokens (through {@code Pkcs11Token}) for the
 * coordinator and all five nodes: the import envelopes, receipts, releases and the
 * coordinator's journal signatures all go through PKCS#11. A missing SoftHSM2 fails.
 */
class CoordinatorSoftHsmTest {
    @TempDir
    Path dir;

    @Test
    void createAndUse_withSoftHsm2Tokens() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 5, Duration.ofSeconds(30), SoftHsm2Tokens::provision)) {
            assertEquals(VaultKind.PKCS11, cluster.coordinatorToken.describe().kind());
            assertEquals(VaultKind.PKCS11, cluster.node(1).token.describe().kind());
            cluster.registerCustodians();
            JsonArray custodians = new JsonArray();
            for (int i = 1; i <= 5; i++) {
                custodians.add("custodian-" + i);
            }
            Response created = cluster.post("/v1/keys", new JsonObject().put("name", "hsm-key")
                    .put("algorithm", "AES-256").put("threshold", 3).put("custodians", custodians), TestCluster.ALICE);
            assertEquals(201, created.status(), created.body());
            Manifest manifest = Manifest.parse(cluster.get("/v1/keys/hsm-key/versions/1/manifest").json()
                    .getString("canonical").getBytes(StandardCharsets.UTF_8));
            String state = null;
            for (int i = 1; i <= 5; i++) {
                byte[] signature = Ed25519.sign(cluster.custodianKey(i),
                        manifest.countersignatureStatement("custodian-" + i));
                Response r = cluster.post("/v1/keys/hsm-key/versions/1/countersignatures", new JsonObject()
                        .put("custodianId", "custodian-" + i)
                        .put("signature", Base64.getEncoder().encodeToString(signature)), null);
                assertEquals(201, r.status(), r.body());
                state = r.json().getString("state");
            }
            assertEquals("ACTIVE", state);

            Response request = cluster.post("/v1/keys/hsm-key/requests", new JsonObject().put("operation", "USE")
                    .put("reason", "SoftHSM2 run").put("params", new JsonObject().put("maxOperations", 2)
                            .put("sessionSeconds", 60)), TestCluster.ALICE);
            assertEquals(201, request.status(), request.body());
            String id = request.json().getString("requestId");
            CanonicalRequest canonical = CanonicalRequest.parse(request.json().getString("canonical")
                    .getBytes(StandardCharsets.UTF_8));
            for (int i : new int[] {1, 3, 5}) {
                cluster.node(i).answer(Approval.sign(canonical, "custodian-" + i, Decision.APPROVE,
                        cluster.custodianKey(i)));
            }
            TestCluster.await("session open", () -> "ACTIVE".equals(cluster.get("/v1/requests/" + id).json()
                    .getString("state")));
            byte[] plaintext = "through PKCS#11".getBytes(StandardCharsets.UTF_8);
            Response sealed = cluster.post("/v1/requests/" + id + "/encrypt", new JsonObject()
                    .put("plaintext", Base64.getEncoder().encodeToString(plaintext)), TestCluster.ALICE);
            assertEquals(200, sealed.status(), sealed.body());
            Response opened = cluster.post("/v1/requests/" + id + "/decrypt", new JsonObject()
                    .put("ciphertext", sealed.json().getString("ciphertext")), TestCluster.ALICE);
            assertEquals(200, opened.status(), opened.body());
            assertArrayEquals(plaintext, Base64.getDecoder().decode(opened.json().getString("plaintext")));
            assertEquals("EXECUTED", cluster.get("/v1/requests/" + id).json().getString("state"));
            assertTrue(cluster.get("/v1/audit/verify").json().getBoolean("ok"));
        }
    }
}
