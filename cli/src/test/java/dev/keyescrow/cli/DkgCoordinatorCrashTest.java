package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberJournal;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.cli.frost.JdkEd25519;
import dev.keyescrow.cli.frost.SigningKey;
import dev.keyescrow.cli.frost.SigningKeys;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator killed with {@code kill -9} in the middle of a distributed key generation.
 * Real processes: 3 nodes with SoftHSM2 tokens and a coordinator. node-3 has left the cluster,
 * so the DKG of a 2-of-3 key cannot finish: node-1 and node-2 run round one and wait; the
 * operator's {@code POST /v1/keys} is still open when the coordinator dies. The coordinator had
 * journaled nothing of the key, so after its restart the key does not exist (rolled back, never
 * half made), no node holds a share of it, and the operator can create it again under the same
 * name: a fresh DKG among all three nodes, while the dead ceremony's call is still on the
 * cluster, gives version 1 that the custodians countersign and that signs a message the JDK
 * verifies under the new group key.
 */
class DkgCoordinatorCrashTest {
    @TempDir
    Path dir;

    @Test
    void aCoordinatorKilledMidDkgLeavesNoKeyAndNoShare_andTheKeyCanBeMadeAgain() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        List<SecretBytes> keys = new ArrayList<>();
        try {
            LocalCluster.Started started = cluster.start(3, false);
            String operator = Files.readString(cluster.layout().operatorToken()).trim();
            CoordinatorClient coordinator = new CoordinatorClient(started.coordinatorUrl(), operator);
            JsonArray nodes = new JsonObject(Files.readString(cluster.layout().clusterJson())).getJsonArray("nodes");
            JsonArray custodians = new JsonArray();
            SecureRandom random = new SecureRandom();
            for (int i = 1; i <= 3; i++) {
                SecretBytes key = Ed25519.generatePrivateKey(random);
                keys.add(key);
                coordinator.registerCustodian("c" + i, Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(key)),
                        "node-" + i);
                custodians.add("c" + i);
            }

            cluster.stop("node-3");
            CompletableFuture<SigningKey> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return SigningKeys.create(coordinator, "crash-dkg", 2, custodians);
                } catch (ApiException e) {
                    throw new IllegalStateException("refused: " + e.status() + " " + e.getMessage(), e);
                }
            });
            Thread.sleep(5_000); // node-1 and node-2 answer round one within this; node-3 never does
            assertFalse(first.isDone(), "the DKG was still waiting for node-3 when the coordinator died: "
                    + (first.isDone() ? describe(first) : ""));
            cluster.kill(ClusterLayout.COORDINATOR);
            ExecutionException lost = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> first.get(60, TimeUnit.SECONDS), "the operator's call failed with the coordinator");
            assertTrue(lost.getCause() != null, "an error, not a key");

            cluster.restart(ClusterLayout.COORDINATOR);
            cluster.restart("node-3");
            ApiException unknown = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                    () -> coordinator.key("crash-dkg"));
            assertEquals(404, unknown.status(), "no half-made key after the restart: " + unknown.getMessage());
            for (int i = 1; i <= 3; i++) {
                assertEquals(0, sharesHeld(cluster, "node-" + i, "crash-dkg"),
                        "node-" + i + " holds nothing of the dead ceremony");
            }

            SigningKey signing = SigningKeys.create(coordinator, "crash-dkg", 2, custodians);
            assertEquals(1, signing.version(), "the dead ceremony took no version number");
            for (int i = 1; i <= 3; i++) {
                CustodianDesk.countersign(coordinator, signing.keyId(), signing.version(), "c" + i, keys.get(i - 1),
                        null);
            }
            for (int i = 1; i <= 3; i++) {
                assertEquals(1, sharesHeld(cluster, "node-" + i, "crash-dkg"),
                        "node-" + i + " holds exactly the share of the second ceremony");
            }

            byte[] message = "made again after a crash\n".getBytes(StandardCharsets.UTF_8);
            String requestId = coordinator.createRequest(signing.keyId(), "SIGN", "after the DKG crash", 600,
                    new JsonObject().put("messages", new JsonArray().add(Base64.getEncoder().encodeToString(message))))
                    .getString("requestId");
            for (int i = 1; i <= 2; i++) {
                NodeClient node = new NodeClient(nodes.getJsonObject(i - 1).getString("url"));
                ReviewedRequest reviewed = CustodianDesk.awaitReview(node, requestId, Duration.ofSeconds(60), null);
                CustodianDesk.answer(node, reviewed, "c" + i, Decision.APPROVE, keys.get(i - 1));
            }
            JsonObject done = awaitEnd(coordinator, requestId);
            assertEquals("EXECUTED", done.getString("state"), done.encodePrettily());
            byte[] signature = Base64.getDecoder().decode(done.getJsonArray("signatures").getString(0));
            assertTrue(JdkEd25519.verifies(signing.publicKey(), message, signature),
                    "the JDK verifies the signature under the second ceremony's group key");
        } finally {
            cluster.stopAll();
            keys.forEach(SecretBytes::destroy);
        }
    }

    private static String describe(CompletableFuture<SigningKey> f) {
        try {
            return "it answered version " + f.get().version();
        } catch (Exception e) {
            return "it ended with " + e.getCause();
        }
    }

    /** How many {@code share-held} records of {@code keyId} the node journaled. */
    private static int sharesHeld(LocalCluster cluster, String nodeId, String keyId) throws Exception {
        int n = 0;
        for (JsonObject e : MemberJournal.events(cluster.layout().memberDir(nodeId))) {
            if ("share-held".equals(e.getString("event")) && keyId.equals(e.getString("keyId"))) {
                n++;
            }
        }
        return n;
    }

    private static JsonObject awaitEnd(CoordinatorClient coordinator, String requestId) throws Exception {
        Set<String> ends = Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED", "CANCELLED");
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        JsonObject now = coordinator.request(requestId);
        while (!ends.contains(now.getString("state")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = coordinator.request(requestId);
        }
        return now;
    }
}
