package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input over real HTTP: each gets a 4xx RFC 9457 problem document that names the
 * problem, goes to the refusal log, and changes nothing (the journal's head stays put).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorApiInputTest {
    @org.junit.jupiter.api.io.TempDir
    static Path dir;

    private TestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(dir, 2);
        cluster.registerCustodians();
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    private long journalSequence() throws Exception {
        return cluster.get("/v1/audit").json().getLong("sequence");
    }

    private void assertProblem(Response r, int status, String detailPart) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        JsonObject problem = r.json();
        assertEquals(status, problem.getInteger("status"));
        assertTrue(problem.getString("type").startsWith("https://keyescrow.dev/problems/"), r.body());
        assertTrue(problem.getString("detail").contains(detailPart), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":\"custodian-9\",\"publicKey\":\"AAAA\",\"nodeId\":\"node-1\"",
        "{\"id\":\"custodian-9\",\"publicKey\":\"AAAA\",\"nodeId\":\"node-1\"} trailing",
        "[1,2,3]",
        "{\"id\":\"custodian-9\",\"id\":\"custodian-8\",\"publicKey\":\"AAAA\",\"nodeId\":\"node-1\"}",
        "{\"id\":9,\"publicKey\":\"AAAA\",\"nodeId\":\"node-1\"}",
        ""
    })
    void malformedJson_isA400_andChangesNothing(String body) throws Exception {
        long before = journalSequence();
        Response r = cluster.postRaw("/v1/custodians", "application/json", body.getBytes(StandardCharsets.UTF_8),
                TestCluster.ALICE);
        assertProblem(r, 400, "");
        assertEquals(before, journalSequence());
    }

    @Test
    void unknownField_isNamed() throws Exception {
        long before = journalSequence();
        Response r = cluster.post("/v1/custodians", new JsonObject().put("id", "custodian-9")
                .put("publicKey", cluster.custodianPublicKey(1)).put("nodeId", "node-1").put("admin", true),
                TestCluster.ALICE);
        assertProblem(r, 400, "unknown field \"admin\"");
        assertEquals(before, journalSequence());
    }

    @Test
    void wrongContentType_isA415() throws Exception {
        long before = journalSequence();
        Response r = cluster.postRaw("/v1/custodians", "text/plain", new JsonObject().put("id", "custodian-9")
                .put("publicKey", cluster.custodianPublicKey(1)).put("nodeId", "node-1").encode()
                .getBytes(StandardCharsets.UTF_8), TestCluster.ALICE);
        assertProblem(r, 415, "application/json");
        assertEquals(before, journalSequence());
    }

    @Test
    void oversizedBody_isA413() throws Exception {
        long before = journalSequence();
        byte[] body = ("{\"id\":\"custodian-9\",\"publicKey\":\"" + "A".repeat(70 * 1024) + "\",\"nodeId\":\"node-1\"}")
                .getBytes(StandardCharsets.UTF_8);
        Response r = cluster.postRaw("/v1/custodians", "application/json", body, TestCluster.ALICE);
        assertProblem(r, 413, "exceeds");
        assertEquals(before, journalSequence());
    }

    @Test
    void missingOrUnknownOperatorToken_isA401_loggedAsRefusal() throws Exception {
        long before = journalSequence();
        JsonObject body = new JsonObject().put("id", "custodian-9").put("publicKey", cluster.custodianPublicKey(1))
                .put("nodeId", "node-1");
        assertProblem(cluster.post("/v1/custodians", body, null), 401, "bearer token");
        assertProblem(cluster.post("/v1/custodians", body, "guess"), 401, "not an operator's");
        assertEquals(before, journalSequence());
        String log = Files.readString(cluster.config.stateDirectory().resolve("refusals.log"));
        assertTrue(log.contains("POST /v1/custodians 401"), log);
        assertTrue(!log.contains("guess"), "the refusal log must not hold the presented token");
    }

    @Test
    void invalidValues_areNamedField_byField() throws Exception {
        long before = journalSequence();
        assertProblem(cluster.post("/v1/custodians", new JsonObject().put("id", "Custodian 9")
                .put("publicKey", cluster.custodianPublicKey(1)).put("nodeId", "node-1"), TestCluster.ALICE), 400,
                "id must match");
        assertProblem(cluster.post("/v1/custodians", new JsonObject().put("id", "custodian-9")
                .put("publicKey", Base64.getEncoder().encodeToString(new byte[31])).put("nodeId", "node-1"),
                TestCluster.ALICE), 400, "publicKey must hold 32 bytes");
        assertProblem(cluster.post("/v1/custodians", new JsonObject().put("id", "custodian-9")
                .put("publicKey", cluster.custodianPublicKey(1)).put("nodeId", "node-7"), TestCluster.ALICE), 422,
                "node node-7 is not enrolled");
        assertProblem(cluster.post("/v1/custodians", new JsonObject().put("id", "custodian-1")
                .put("publicKey", cluster.custodianPublicKey(2)).put("nodeId", "node-1"), TestCluster.ALICE), 409,
                "registered with another key");
        assertProblem(cluster.post("/v1/keys", new JsonObject().put("name", "k").put("algorithm", "DES")
                .put("threshold", 2).put("custodians", new JsonArray().add("custodian-1").add("custodian-2")),
                TestCluster.ALICE), 400, "algorithm must be");
        assertProblem(cluster.post("/v1/keys", new JsonObject().put("name", "k").put("algorithm", "AES-256")
                .put("threshold", 3).put("custodians", new JsonArray().add("custodian-1").add("custodian-2")),
                TestCluster.ALICE), 422, "threshold 3 of 2");
        assertProblem(cluster.post("/v1/keys", new JsonObject().put("name", "k").put("algorithm", "AES-256")
                .put("threshold", 2).put("custodians", new JsonArray().add("custodian-1").add("custodian-5")),
                TestCluster.ALICE), 422, "custodian-5 is not registered");
        assertProblem(cluster.post("/v1/keys/no-such-key/requests", new JsonObject().put("operation", "USE")
                .put("reason", "r").put("params", new JsonObject().put("maxOperations", 1).put("sessionSeconds", 1)),
                TestCluster.ALICE), 404, "no key no-such-key");
        assertProblem(cluster.post("/v1/keys/no-such-key/versions/1/countersignatures", new JsonObject()
                .put("custodianId", "custodian-1").put("signature", Base64.getEncoder().encodeToString(new byte[64])),
                null), 404, "no key version");
        assertProblem(cluster.get("/v1/requests/NOT_AN_ID"), 400, "request id must match");
        assertProblem(cluster.get("/v1/requests/req-unknown"), 404, "no request req-unknown");
        assertProblem(cluster.get("/v1/nothing-here"), 404, "not an endpoint");
        assertEquals(before, journalSequence());
    }

    @Test
    void requestParams_mustBeExactlyThoseOfTheOperation() throws Exception {
        JsonArray custodians = new JsonArray().add("custodian-1").add("custodian-2");
        Response created = cluster.post("/v1/keys", new JsonObject().put("name", "input-key").put("algorithm",
                "AES-256").put("threshold", 2).put("custodians", custodians), TestCluster.ALICE);
        assertEquals(201, created.status(), created.body());
        long before = journalSequence();
        String path = "/v1/keys/input-key/requests";
        assertProblem(cluster.post(path, new JsonObject().put("operation", "USE").put("reason", "r")
                .put("params", new JsonObject().put("maxOperations", 1)), TestCluster.ALICE), 400,
                "missing field \"sessionSeconds\"");
        assertProblem(cluster.post(path, new JsonObject().put("operation", "USE").put("reason", "r")
                .put("params", new JsonObject().put("maxOperations", 1).put("sessionSeconds", 1).put("x", 1)),
                TestCluster.ALICE), 400, "unknown field \"x\"");
        assertProblem(cluster.post(path, new JsonObject().put("operation", "USE").put("reason", "r")
                .put("params", new JsonObject().put("maxOperations", 0).put("sessionSeconds", 1)),
                TestCluster.ALICE), 422, "maxOperations 0");
        assertProblem(cluster.post(path, new JsonObject().put("operation", "LAUNCH").put("reason", "r")
                .put("params", new JsonObject()), TestCluster.ALICE), 400, "operation must be one of");
        assertProblem(cluster.post(path, new JsonObject().put("operation", "ROTATE").put("reason", "r")
                .put("ttlSeconds", 90000).put("params", new JsonObject()), TestCluster.ALICE), 422,
                "ttlSeconds 90000 must be in [1, 86400]");
        assertProblem(cluster.post(path, new JsonObject().put("operation", "ROTATE").put("reason", "r")
                .put("params", new JsonObject()), TestCluster.ALICE), 409,
                "not allowed while input-key v1 is PRE_ACTIVE");
        JsonObject holder1 = new JsonObject().put("custodianId", "custodian-1")
                .put("publicKey", cluster.custodianPublicKey(1)).put("nodeId", "node-1");
        assertProblem(cluster.post(path, new JsonObject().put("operation", "RESHARE").put("reason", "r")
                .put("params", new JsonObject().put("threshold", 2).put("holders", new JsonArray().add(holder1)
                        .add(new JsonObject().put("custodianId", "nobody-registered")
                                .put("publicKey", cluster.custodianPublicKey(2)).put("nodeId", "node-2")))),
                TestCluster.ALICE), 422, "RESHARE names custodian nobody-registered, who is not registered");
        assertProblem(cluster.post(path, new JsonObject().put("operation", "RESHARE").put("reason", "r")
                .put("params", new JsonObject().put("threshold", 2).put("holders", new JsonArray().add(holder1)
                        .add(new JsonObject().put("custodianId", "custodian-2")
                                .put("publicKey", cluster.custodianPublicKey(2)).put("nodeId", "node-1")))),
                TestCluster.ALICE), 422, "RESHARE names custodian custodian-2 with another key or node");
        assertProblem(cluster.post(path, new JsonObject().put("operation", "RESHARE").put("reason", "r")
                .put("params", new JsonObject().put("threshold", 2).put("custodians", new JsonArray()
                        .add("custodian-1").add("custodian-2"))), TestCluster.ALICE), 400,
                "unknown field \"custodians\"");
        assertEquals(before, journalSequence());
    }
}
