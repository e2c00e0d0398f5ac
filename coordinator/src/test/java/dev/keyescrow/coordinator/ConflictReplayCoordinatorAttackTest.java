package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster member that saw a custodian's two conflicting answers publishes them again and
 * again. The coordinator counts that custodian as a denial and raises one alert; before the fix
 * each replay was a new conflict: one more signed, fsync'd journal record and one more
 * {@code ALERT} on the problems counter per replay, from two signatures.
 */
class ConflictReplayCoordinatorAttackTest {
    private static final int REPLAYS = 20;

    @TempDir
    Path dir;

    @Test
    void replayedConflictingAnswersAreJournaledAndAlertedOnce() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, Duration.ofSeconds(5))) {
            cluster.registerCustodians();
            String keyId = cluster.createActiveKey("conflict-key");
            TestCluster.Response r = cluster.post("/v1/keys/" + keyId + "/requests", new JsonObject()
                    .put("operation", "USE").put("reason", "conflict replay").put("params", new JsonObject()
                            .put("maxOperations", 10).put("sessionSeconds", 600)), TestCluster.ALICE);
            assertEquals(201, r.status(), r.body());
            String id = r.json().getString("requestId");
            CanonicalRequest request = CanonicalRequest.parse(cluster.get("/v1/requests/" + id).json()
                    .getString("canonical").getBytes(StandardCharsets.UTF_8));
            Approval approve = Approval.sign(request, "custodian-1", Decision.APPROVE, cluster.custodianKey(1));
            Approval deny = Approval.sign(request, "custodian-1", Decision.DENY, cluster.custodianKey(1));

            long problems = cluster.metric("keyescrow_coordinator_problems_total");
            cluster.node(1).answer(approve);
            TestCluster.await("custodian-1's approval counted", () -> cluster.get("/v1/requests/" + id).json()
                    .getJsonArray("approvers").contains("custodian-1"));
            cluster.node(1).answer(deny);
            TestCluster.await("the conflict alerted",
                    () -> cluster.metric("keyescrow_coordinator_problems_total") == problems + 1);
            long sequence = sequence(cluster);

            for (int i = 0; i < REPLAYS; i++) {
                cluster.node(1).answer(i % 2 == 0 ? approve : deny);
            }
            // custodian-2's denial decides the request (2-of-3: two denials leave one possible approver)
            cluster.node(2).answer(Approval.sign(request, "custodian-2", Decision.DENY, cluster.custodianKey(2)));
            TestCluster.await("request denied", () -> "DENIED".equals(cluster.get("/v1/requests/" + id).json()
                    .getString("state")));

            assertEquals(sequence + 2, sequence(cluster),
                    "journaled after the conflict: custodian-2's answer and the state DENIED, nothing for the replays");
            assertEquals(problems + 1, cluster.metric("keyescrow_coordinator_problems_total"),
                    "one alert for one conflict");
        }
    }

    private static long sequence(TestCluster cluster) throws Exception {
        return cluster.get("/v1/audit").json().getLong("sequence");
    }
}
