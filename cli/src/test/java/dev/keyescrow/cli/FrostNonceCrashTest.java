package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberJournal;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.cli.frost.JdkEd25519;
import dev.keyescrow.cli.frost.SigningKey;
import dev.keyescrow.cli.frost.SigningKeys;
import dev.keyescrow.core.request.Decision;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A holder killed with {@code kill -9} between FROST's two rounds never signs with a nonce
 * twice. Real processes: 3 nodes with SoftHSM2 tokens and a coordinator; a 2-of-3 Ed25519 key
 * made by distributed key generation. c2 approves a SIGN; the two holders other than node-1
 * leave the cluster; c1's approval then makes node-1 commit (round one) alone, so nobody can call
 * round two; node-1 is killed as soon as its commitment is in its journal, and all three start
 * again. (An earlier form froze the coordinator instead; a frozen Hazelcast member holds back
 * every map write to the partitions it owns, so the custodians' answers stalled with it.)
 * The request must still end EXECUTED with a signature the JDK verifies, and the journals (read
 * as an auditor would, from the files) must show: node-1 committed in the attempt it was killed
 * in and never signed in it; no node ever journaled one commitment twice; at most one
 * signature share per node and attempt, each after that node's own commitment for the attempt.
 */
class FrostNonceCrashTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void aHolderKilledBetweenTheRoundsNeverSignsWithANonceTwice() throws Exception {
        try (TestCluster testCluster = TestCluster.start(dir, 3)) {
            LocalCluster cluster = testCluster.cluster();
            CoordinatorClient coordinator = testCluster.coordinator();
            SigningKey signing = SigningKeys.create(coordinator, "crash-signing", 2, testCluster.custodianIds());
            testCluster.countersignAll(signing.keyId(), signing.version());
            byte[] message = "signed across a crash\n".getBytes(StandardCharsets.UTF_8);
            String requestId = coordinator.createRequest(signing.keyId(), "SIGN", "nonce crash drill", 600,
                    new JsonObject().put("messages", new JsonArray().add(Base64.getEncoder().encodeToString(message))))
                    .getString("requestId");
            List<ReviewedRequest> reviewed = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                reviewed.add(testCluster.review(i, requestId));
            }

            // c2 approves first (t-1: nobody commits); once node-1 has learnt that answer, the other
            // two holders leave the cluster, so c1's approval makes node-1 the only holder in round one
            // and round two cannot be called: the kill lands between the rounds by construction
            testCluster.answer(2, reviewed.get(1), Decision.APPROVE);
            awaitJournal(cluster, "node-1", "learnt c2's approval", e -> "answer-accepted".equals(e.getString("event"))
                    && requestId.equals(e.getString("requestId")) && "c2".equals(e.getString("custodianId")));
            assertTrue(commitments(cluster, "node-2", requestId).isEmpty(), "t-1 approvals draw no commitment");
            cluster.stop("node-3");
            cluster.stop("node-2");
            testCluster.answer(1, reviewed.get(0), Decision.APPROVE);
            awaitJournal(cluster, "node-1", "committed", e -> "frost-committed".equals(e.getString("event"))
                    && requestId.equals(new JsonObject(e.getString("message")).getString("requestId")));
            cluster.kill("node-1");
            assertTrue(shares(cluster, "node-1", requestId).isEmpty(), "node-1 signed nothing before it was killed");
            for (int i = 1; i <= 3; i++) {
                cluster.restart("node-" + i);
            }

            JsonObject done = testCluster.awaitEnd(requestId, Duration.ofSeconds(240));
            assertEquals("EXECUTED", done.getString("state"), done.encodePrettily());
            byte[] signature = Base64.getDecoder().decode(done.getJsonArray("signatures").getString(0));
            assertTrue(JdkEd25519.verifies(signing.publicKey(), message, signature),
                    "the JDK verifies the signature under the group key");

            List<JsonObject> killedIn = commitments(cluster, "node-1", requestId);
            int killedAttempt = killedIn.get(0).getInteger("attempt");
            for (JsonObject share : shares(cluster, "node-1", requestId)) {
                assertTrue(share.getInteger("attempt") != killedAttempt,
                        "node-1 signed in attempt " + killedAttempt + ", whose nonces died with it");
            }
            for (int i = 1; i <= 3; i++) {
                String nodeId = "node-" + i;
                Set<String> seen = new HashSet<>();
                Map<Integer, Integer> committedIn = new HashMap<>();
                for (JsonObject commitment : commitments(cluster, nodeId, requestId)) {
                    for (Object c : commitment.getJsonArray("commitments")) {
                        assertTrue(seen.add((String) c), nodeId + " journaled one commitment twice: " + c);
                    }
                    committedIn.merge(commitment.getInteger("attempt"), 1, Integer::sum);
                }
                committedIn.forEach((attempt, count) -> assertEquals(1, count,
                        nodeId + " committed " + count + " times in attempt " + attempt));
                Set<Integer> signedIn = new HashSet<>();
                for (JsonObject share : shares(cluster, nodeId, requestId)) {
                    int attempt = share.getInteger("attempt");
                    assertTrue(signedIn.add(attempt), nodeId + " signed twice in attempt " + attempt);
                    assertTrue(committedIn.containsKey(attempt),
                            nodeId + " signed in attempt " + attempt + " without a journaled commitment");
                }
            }
        }
    }

    private static void awaitJournal(LocalCluster cluster, String nodeId, String what,
            java.util.function.Predicate<JsonObject> event) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (MemberJournal.events(cluster.layout().memberDir(nodeId)).stream().anyMatch(event)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(nodeId + " " + what + " within 60 s");
    }

    /** The commitment messages {@code nodeId} journaled for the request, in journal order. */
    private static List<JsonObject> commitments(LocalCluster cluster, String nodeId, String requestId)
            throws Exception {
        return messages(cluster, nodeId, requestId, "frost-committed");
    }

    private static List<JsonObject> shares(LocalCluster cluster, String nodeId, String requestId) throws Exception {
        return messages(cluster, nodeId, requestId, "frost-signed");
    }

    private static List<JsonObject> messages(LocalCluster cluster, String nodeId, String requestId, String event)
            throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (JsonObject e : MemberJournal.events(cluster.layout().memberDir(nodeId))) {
            if (event.equals(e.getString("event"))) {
                JsonObject message = new JsonObject(e.getString("message"));
                if (requestId.equals(message.getString("requestId"))) {
                    out.add(message);
                }
            }
        }
        return out;
    }
}
