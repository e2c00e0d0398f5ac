package dev.keyescrow.coordinator;

import dev.keyescrow.core.wire.ClusterMaps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives a coordinator restart (design: Coordinator restart): keys and requests
 * replay from the journal; a pending request's ephemeral key comes back from its sealed
 * envelope through the token, so its releases still open; an open USE session ends and is
 * not rebuilt. And a ceremony whose node never confirms is rolled back, never half-created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorRestartTest {
    @TempDir
    static Path dir;

    private TestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(dir, 3, Duration.ofSeconds(2));
        cluster.registerCustodians();
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }


    private String useRequest(String keyId) throws Exception {
        Response r = cluster.post("/v1/keys/" + keyId + "/requests", new JsonObject().put("operation", "USE")
                .put("reason", "restart test").put("params", new JsonObject().put("maxOperations", 10)
                        .put("sessionSeconds", 600)), TestCluster.ALICE);
        assertEquals(201, r.status(), r.body());
        return r.json().getString("requestId");
    }

    private void approve(String requestId, int... custodians) throws Exception {
        CanonicalRequest request = CanonicalRequest.parse(cluster.get("/v1/requests/" + requestId).json()
                .getString("canonical").getBytes(StandardCharsets.UTF_8));
        for (int i : custodians) {
            cluster.node(i).answer(Approval.sign(request, "custodian-" + i, Decision.APPROVE, cluster.custodianKey(i)));
        }
    }

    private String state(String requestId) throws Exception {
        return cluster.get("/v1/requests/" + requestId).json().getString("state");
    }

    private int encrypt(String requestId) throws Exception {
        return cluster.post("/v1/requests/" + requestId + "/encrypt", new JsonObject().put("plaintext", "aGVsbG8="),
                TestCluster.ALICE).status();
    }

    @Test
    void pendingRequestsSurviveARestart_openSessionsDoNot() throws Exception {
        String keyId = cluster.createActiveKey("restart-key");
        String pending = useRequest(keyId);
        String open = useRequest(keyId);
        approve(open, 1, 2);
        TestCluster.await("session open", () -> "ACTIVE".equals(state(open)));
        assertEquals(200, encrypt(open));
        long sequence = cluster.get("/v1/audit").json().getLong("sequence");

        cluster.restartCoordinator();

        assertTrue(cluster.get("/v1/audit").json().getLong("sequence") >= sequence);
        assertEquals("ACTIVE", cluster.get("/v1/keys/" + keyId).json().getJsonArray("versions").getJsonObject(0)
                .getString("state"));
        assertEquals("FAILED", state(open));
        assertEquals(409, encrypt(open));
        assertEquals("PENDING", state(pending));
        approve(pending, 2, 3);
        TestCluster.await("restored request opens its session", () -> "ACTIVE".equals(state(pending)));
        assertEquals(200, encrypt(pending));
        JsonObject verify = cluster.get("/v1/audit/verify").json();
        assertTrue(verify.getBoolean("ok"), verify.encode());
    }

    @Test
    void ceremonyWithASilentNode_isRolledBack_andLeavesNoKey() throws Exception {
        cluster.node(2).behave(StandInNode.Behaviour.IGNORE_IMPORTS);
        try {
            Response r = cluster.post("/v1/keys", new JsonObject().put("name", "half-key").put("algorithm", "AES-256")
                    .put("threshold", 2).put("custodians", new JsonArray().add("custodian-1").add("custodian-2")
                            .add("custodian-3")), TestCluster.ALICE);
            assertEquals(503, r.status(), r.body());
            assertEquals("application/problem+json", r.contentType());
            assertTrue(r.json().getString("detail").contains("[node-2] did not confirm"), r.body());
        } finally {
            cluster.node(2).behave(StandInNode.Behaviour.HONEST);
        }
        assertEquals(404, cluster.get("/v1/keys/half-key").status());
        assertEquals(404, cluster.get("/v1/keys/half-key/versions/1/manifest").status());
        assertTrue(cluster.nodeMember.getMap(ClusterMaps.IMPORTS).keySet().stream()
                .noneMatch(k -> k.toString().startsWith("half-key/")));
        assertTrue(cluster.nodeMember.getMap(ClusterMaps.MANIFESTS).keySet().stream()
                .noneMatch(k -> k.toString().startsWith("half-key/")));
        Response retry = cluster.post("/v1/keys", new JsonObject().put("name", "half-key").put("algorithm", "AES-256")
                .put("threshold", 2).put("custodians", new JsonArray().add("custodian-1").add("custodian-3")),
                TestCluster.ALICE);
        assertEquals(201, retry.status(), retry.body());
        assertTrue(retry.json().getString("keyId").startsWith("key-"), "a failed ceremony's key id is never reused");
    }
}
