package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that restarts publishes its custodians' answers again. For a request that has finished,
 * an answer identical to the one the coordinator counted is routine: it goes to
 * {@code keyescrow_coordinator_republished_answers_total}, not to the problems counter operators
 * alert on. A different answer or a bad signature for that request is still a problem.
 */
class RepublishedAnswersTest {
    @TempDir
    Path dir;

    @Test
    void identicalAnswersForFinishedRequestsAreRepublications_differentOrForgedOnesAreProblems() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, Duration.ofSeconds(5))) {
            cluster.registerCustodians();
            String keyId = cluster.createActiveKey("republish-key");
            TestCluster.Response r = cluster.post("/v1/keys/" + keyId + "/requests", new JsonObject()
                    .put("operation", "USE").put("reason", "republication test").put("params", new JsonObject()
                            .put("maxOperations", 10).put("sessionSeconds", 600)), TestCluster.ALICE);
            assertEquals(201, r.status(), r.body());
            String id = r.json().getString("requestId");
            CanonicalRequest request = CanonicalRequest.parse(cluster.get("/v1/requests/" + id).json()
                    .getString("canonical").getBytes(StandardCharsets.UTF_8));
            Approval deny1 = Approval.sign(request, "custodian-1", Decision.DENY, cluster.custodianKey(1));
            Approval deny2 = Approval.sign(request, "custodian-2", Decision.DENY, cluster.custodianKey(2));
            cluster.node(1).answer(deny1);
            cluster.node(2).answer(deny2);
            TestCluster.await("request denied", () -> "DENIED".equals(cluster.get("/v1/requests/" + id).json()
                    .getString("state")));
            long problems = cluster.metric("keyescrow_coordinator_problems_total");
            long republished = cluster.metric("keyescrow_coordinator_republished_answers_total");

            // node-1 and node-2 restart and publish their custodians' answers again
            cluster.node(1).answer(Approval.sign(request, "custodian-1", Decision.DENY, cluster.custodianKey(1)));
            cluster.node(2).answer(deny2);
            TestCluster.await("two republications counted",
                    () -> cluster.metric("keyescrow_coordinator_republished_answers_total") == republished + 2);
            assertEquals(problems, cluster.metric("keyescrow_coordinator_problems_total"),
                    "a routine restart is not a problem");

            // a different answer of custodian-1 for the finished request: a real refusal
            cluster.node(1).answer(Approval.sign(request, "custodian-1", Decision.APPROVE, cluster.custodianKey(1)));
            TestCluster.await("the different answer is a problem",
                    () -> cluster.metric("keyescrow_coordinator_problems_total") == problems + 1);
            // custodian-2's answer signed with another key (a forged re-publication): a problem too
            SecretBytes forger = Ed25519.generatePrivateKey(new SecureRandom());
            cluster.node(2).answer(Approval.sign(request, "custodian-2", Decision.DENY, forger));
            TestCluster.await("the forged answer is a problem",
                    () -> cluster.metric("keyescrow_coordinator_problems_total") == problems + 2);
            assertEquals(republished + 2, cluster.metric("keyescrow_coordinator_republished_answers_total"));
            forger.destroy();
        }
    }
}
