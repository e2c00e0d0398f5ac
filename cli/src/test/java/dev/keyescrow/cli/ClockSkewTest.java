package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberClock;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.core.request.Decision;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clock skew with real processes: a 2-of-3 key, node-1 restarted 10 minutes ahead and node-2
 * 10 minutes behind (a development-mode clock offset), node-3 and the coordinator on time.
 * The coordinator decides expiry: it counts answers only before {@code expiresAt} by its own
 * clock and releases nothing for an EXPIRED request. A node's clock is a second, local guard:
 * ahead, it refuses answers to a request expired by its clock; behind by more than its
 * allowed skew, it refuses to admit a request whose {@code createdAt} is in its future.
 */
class ClockSkewTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String TEN_MINUTES = "600";

    @TempDir
    Path dir;

    @Test
    void skewedNodesNeitherCountExpiredAnswersNorAdmitFutureRequests() throws Exception {
        try (TestCluster testCluster = TestCluster.start(dir, 3)) {
            LocalCluster cluster = testCluster.cluster();
            CoordinatorClient coordinator = testCluster.coordinator();
            List<NodeClient> node = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                node.add(testCluster.node(i));
            }
            coordinator.createKey("k", "AES-256", 2, testCluster.custodianIds());
            testCluster.countersignAll("k", 1);
            byte[] coordinatorKey = Base64.getDecoder().decode(node.get(0).node().getString("coordinatorPublicKey"));

            // r1 is admitted by every node while every clock is right
            String r1 = coordinator.createRequest("k", "USE", "skew drill", 180, session())
                    .getString("requestId");
            List<ReviewedRequest> reviews = new ArrayList<>();
            for (NodeClient n : node) {
                reviews.add(CustodianDesk.awaitReview(n, r1, PATIENCE, coordinatorKey));
            }
            cluster.kill("node-1");
            cluster.restart("node-1", Map.of(MemberClock.VARIABLE, TEN_MINUTES));
            cluster.kill("node-2");
            cluster.restart("node-2", Map.of(MemberClock.VARIABLE, "-" + TEN_MINUTES));

            // node-1, 10 minutes ahead: r1 has expired by its clock, so it counts no answer to it
            ApiException ahead = assertThrows(ApiException.class, () -> testCluster.answer(1, reviews.get(0),
                    Decision.APPROVE));
            assertEquals(410, ahead.status(), ahead.getMessage());
            testCluster.answer(3, reviews.get(2), Decision.APPROVE);
            assertTrue(await(() -> coordinator.request(r1).getInteger("approvals") == 1), "c3's approval counted");

            // the coordinator decides expiry; node-2, 10 minutes behind, still thinks r1 open afterwards
            assertTrue(TestCluster.await(() -> "EXPIRED".equals(coordinator.request(r1).getString("state")),
                    Duration.ofSeconds(240)), "r1 expired at the coordinator: " + coordinator.request(r1).encode());
            try {
                testCluster.answer(2, reviews.get(1), Decision.APPROVE);
            } catch (ApiException e) {
                assertTrue(e.status() >= 400 && e.status() < 500, e.getMessage());
            }
            Thread.sleep(5_000); // time for a late answer or release to reach the coordinator, if it were taken
            JsonObject expired = coordinator.request(r1);
            assertEquals("EXPIRED", expired.getString("state"), expired.encode());
            assertEquals(List.of("c3"), expired.getJsonArray("approvers").getList(), expired.encode());
            assertTrue(expired.getJsonArray("releases").isEmpty(), expired.encode());
            assertFalse(expired.getJsonArray("history").encode().contains("APPROVED"), expired.encode());

            // r2, created now: node-1 finds it expired on arrival, node-2 finds its createdAt in the future
            String r2 = coordinator.createRequest("k", "USE", "skew drill", 300, session())
                    .getString("requestId");
            CustodianDesk.awaitReview(node.get(2), r2, PATIENCE, coordinatorKey);
            assertTrue(await(() -> logMentions(cluster, "node-1", r2) && logMentions(cluster, "node-2", r2)),
                    "the skewed nodes logged refusing " + r2 + ": " + refusals(cluster, "node-1") + refusals(cluster, "node-2"));
            for (int i = 0; i < 2; i++) {
                NodeClient skewed = node.get(i);
                ApiException unknown = assertThrows(ApiException.class, () -> skewed.request(r2));
                assertEquals(404, unknown.status(), unknown.getMessage());
            }
            assertTrue(refusals(cluster, "node-2").contains("ahead of this node's clock"),
                    "node-2 named the createdAt in its future");
            assertTrue(refusals(cluster, "node-1").contains("has expired"), "node-1 named the expiry");
        }
    }

    private static JsonObject session() {
        return new JsonObject().put("maxOperations", 1).put("sessionSeconds", 60);
    }

    private static boolean logMentions(LocalCluster cluster, String id, String requestId) throws Exception {
        return refusals(cluster, id).contains(requestId);
    }

    /** The node's refusal log: what it refused from the cluster, and why. */
    private static String refusals(LocalCluster cluster, String id) throws Exception {
        Path log = cluster.layout().memberDir(id).resolve("state").resolve("refusals.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static boolean await(TestCluster.Condition condition) throws Exception {
        return TestCluster.await(condition, PATIENCE);
    }
}
