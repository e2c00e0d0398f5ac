package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retiring a custodian id ({@code POST /v1/custodians/{id}/retirement}), the signatures an
 * auditor re-verifies ({@code GET /v1/audit/signatures}) and {@code GET /v1/audit/verify?contains=},
 * over real HTTP against a coordinator with stand-in nodes on a real cluster; every answer is
 * checked against the OpenAPI document by {@link TestCluster}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustodianRetirementAndSignaturesTest {
    @TempDir
    static Path dir;

    private TestCluster cluster;
    private SecretBytes spareKey;
    private String spare;

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(dir, 3);
        cluster.registerCustodians();
        spareKey = Ed25519.generatePrivateKey(cluster.random);
        spare = Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(spareKey));
        assertEquals(201, cluster.post("/v1/custodians", new JsonObject().put("id", "custodian-9")
                .put("publicKey", spare).put("nodeId", "node-1"), TestCluster.ALICE).status());
        cluster.createActiveKey("payments");
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
        spareKey.destroy();
    }

    private Response retire(String id, JsonObject body, String bearer) throws Exception {
        return cluster.post("/v1/custodians/" + id + "/retirement", body, bearer);
    }

    private static JsonObject reason(String text) {
        return new JsonObject().put("reason", text);
    }

    private long sequence() throws Exception {
        return cluster.get("/v1/audit").json().getLong("sequence");
    }

    @Test
    void aCustodianOfALiveVersionIsNotRetired_andAnUnusedOneIsForGood() throws Exception {
        long before = sequence();
        Response used = retire("custodian-1", reason("left the company"), TestCluster.ALICE);
        assertEquals(409, used.status(), used.body());
        assertTrue(used.json().getString("detail").contains("payments v1 (ACTIVE)"), used.body());
        assertEquals(401, retire("custodian-9", reason("wrong node"), null).status());
        assertEquals(400, retire("custodian-9", new JsonObject(), TestCluster.ALICE).status());
        assertEquals(400, retire("custodian-9", reason("two\nlines"), TestCluster.ALICE).status());
        assertEquals(400, retire("Custodian-9", reason("wrong node"), TestCluster.ALICE).status());
        assertEquals(404, retire("custodian-77", reason("wrong node"), TestCluster.ALICE).status());
        assertEquals(before, sequence(), "refusals journal nothing");

        Response retired = retire("custodian-9", reason("registered on the wrong node"), TestCluster.ALICE);
        assertEquals(201, retired.status(), retired.body());
        assertEquals("alice", retired.json().getString("operator"));
        assertEquals("registered on the wrong node", retired.json().getString("reason"));
        assertEquals(before + 1, sequence());
        Response again = retire("custodian-9", reason("another reason"), TestCluster.ALICE);
        assertEquals(201, again.status());
        assertEquals(retired.json(), again.json(), "the first record stands");
        assertEquals(before + 1, sequence(), "a repeat journals nothing");

        Response reRegistered = cluster.post("/v1/custodians", new JsonObject().put("id", "custodian-9")
                .put("publicKey", spare).put("nodeId", "node-2"), TestCluster.ALICE);
        assertEquals(409, reRegistered.status(), reRegistered.body());
        assertTrue(reRegistered.json().getString("detail").contains("retired"), reRegistered.body());
        assertEquals(409, cluster.post("/v1/custodians", new JsonObject().put("id", "custodian-10")
                .put("publicKey", spare).put("nodeId", "node-2"), TestCluster.ALICE).status(),
                "the retired key stays reserved to the retired id");
        Response holder = cluster.post("/v1/keys", new JsonObject().put("name", "with-retired")
                .put("algorithm", "AES-256").put("threshold", 2).put("custodians", new JsonArray()
                        .add("custodian-2").add("custodian-9")), TestCluster.ALICE);
        assertEquals(422, holder.status(), holder.body());
        assertTrue(holder.json().getString("detail").contains("custodian-9 was retired"), holder.body());

        cluster.restartCoordinator();
        JsonObject listed = cluster.get("/v1/custodians").array().stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("id").equals("custodian-9")).findFirst().orElseThrow();
        assertEquals(retired.json(), listed.getJsonObject("retirement"), "the retirement is journaled and replayed");
    }

    @Test
    void everyCountersignatureAnswerAndReceiptIsServedWithItsSignature_andHeadsAreFoundInTheChain() throws Exception {
        JsonObject logged = cluster.get("/v1/audit").json();
        cluster.createActiveKey("doomed");
        String id = cluster.post("/v1/keys/doomed/requests", new JsonObject().put("operation", "DESTROY")
                .put("reason", "retire it").put("params", new JsonObject()), TestCluster.ALICE).json()
                .getString("requestId");
        CanonicalRequest request = CanonicalRequest.parse(cluster.get("/v1/requests/" + id).json()
                .getString("canonical").getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= 2; i++) {
            cluster.node(i).answer(Approval.sign(request, "custodian-" + i, Decision.APPROVE, cluster.custodianKey(i)));
        }
        TestCluster.await("shred receipts", () -> cluster.get("/v1/requests/" + id).json()
                .getJsonArray("shreddedNodes").size() == 3);

        JsonObject signatures = cluster.get("/v1/audit/signatures").json();
        Manifest manifest = Manifest.parse(cluster.get("/v1/keys/doomed/versions/1/manifest").json()
                .getString("canonical").getBytes(StandardCharsets.UTF_8));
        List<JsonObject> countersignatures = ofKey(signatures.getJsonArray("countersignatures"), "doomed");
        assertEquals(3, countersignatures.size());
        for (JsonObject c : countersignatures) {
            manifest.verifyCountersignature(c.getString("custodianId"), Base64.getDecoder()
                    .decode(c.getString("signature")));
        }
        List<JsonObject> answers = signatures.getJsonArray("answers").stream().map(JsonObject.class::cast)
                .filter(a -> a.getString("requestId").equals(id)).toList();
        assertEquals(2, answers.size(), signatures.encodePrettily());
        for (JsonObject a : answers) {
            new Approval(id, a.getString("requestDigest"), a.getString("custodianId"),
                    Decision.valueOf(a.getString("decision")), Base64.getDecoder().decode(a.getString("signature")))
                    .verify(manifest.holderOf(a.getString("custodianId")).publicKey());
        }
        assertEquals(3, ofKey(signatures.getJsonArray("importReceipts"), "doomed").size());
        assertEquals(3, signatures.getJsonArray("shredReceipts").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("requestId").equals(id)).count());

        String head = logged.getLong("sequence") + ":" + logged.getString("head");
        JsonObject contained = cluster.get("/v1/audit/verify?contains=" + head).json();
        assertTrue(contained.getBoolean("ok"));
        assertEquals("OK", contained.getJsonObject("contains").getString("status"), contained.encode());
        String forged = logged.getLong("sequence") + ":" + "0".repeat(64);
        assertEquals("FORK", cluster.get("/v1/audit/verify?contains=" + forged).json().getJsonObject("contains")
                .getString("status"));
        String ahead = (sequence() + 100) + ":" + logged.getString("head");
        assertEquals("TRUNCATION", cluster.get("/v1/audit/verify?contains=" + ahead).json()
                .getJsonObject("contains").getString("status"));
        assertEquals(400, cluster.get("/v1/audit/verify?contains=12").status());
    }

    private static List<JsonObject> ofKey(JsonArray entries, String keyId) {
        return entries.stream().map(JsonObject.class::cast).filter(e -> e.getString("keyId").equals(keyId)).toList();
    }
}
