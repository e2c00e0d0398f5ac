package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.coordinator.CrashPoints;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator process killed (SIGKILL) at named crash points of a ceremony and of a request,
 * and at random moments during ceremonies, then restarted: a key is never half-created (a
 * ceremony that had not committed is rolled back), a request journaled before the crash is
 * published again and completes, and the coordinator's journal verifies after every restart.
 */
class CoordinatorCrashTest {
    private static final int RANDOM_KILLS = 3;

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final List<SecretBytes> keys = new ArrayList<>();
    private LocalCluster cluster;
    private CoordinatorClient coordinator;
    private JsonArray nodes;

    @Test
    void aKilledCoordinatorNeverHalfCreatesAKeyAndLosesNoRequest() throws Exception {
        long started = System.nanoTime();
        cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        LocalCluster.Started cluster0 = cluster.start(3, false);
        try {
            coordinator = new CoordinatorClient(cluster0.coordinatorUrl(),
                    Files.readString(cluster.layout().operatorToken()).trim());
            nodes = new JsonObject(Files.readString(cluster.layout().clusterJson())).getJsonArray("nodes");
            JsonArray custodians = new JsonArray();
            for (int i = 1; i <= 3; i++) {
                SecretBytes key = Ed25519.generatePrivateKey(random);
                keys.add(key);
                coordinator.registerCustodian("c" + i, Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(key)),
                        "node-" + i);
                custodians.add("c" + i);
            }
            coordinator.createKey("base", "AES-256", 2, custodians);
            countersign("base");

            for (String point : List.of(CrashPoints.CEREMONY_STARTED, CrashPoints.CEREMONY_IMPORTS_PUBLISHED)) {
                crashNextCallAt(point);
                String name = "k-" + point;
                assertThrows(ApiException.class, () -> coordinator.createKey(name, "AES-256", 2, custodians), point);
                restartAfterCrash();
                assertNeverHalfCreated(name);
            }

            crashNextCallAt(CrashPoints.REQUEST_JOURNALED);
            assertThrows(ApiException.class, () -> coordinator.createRequest("base", "USE", "crash drill", 300,
                    new JsonObject().put("maxOperations", 1).put("sessionSeconds", 60)));
            restartAfterCrash();
            JsonObject journaled = null;
            for (Object o : coordinator.requests()) {
                if ("USE".equals(((JsonObject) o).getString("operation"))) {
                    journaled = (JsonObject) o;
                }
            }
            assertTrue(journaled != null, "the request journaled before the crash survives the restart");
            String requestId = journaled.getString("requestId");
            for (int i : new int[] {1, 2}) {
                NodeClient node = new NodeClient(nodes.getJsonObject(i - 1).getString("url"));
                CustodianDesk.answer(node, awaitReview(node, requestId), "c" + i, Decision.APPROVE, keys.get(i - 1));
            }
            assertEquals("ACTIVE", awaitState(requestId, "ACTIVE"), "it was published again and completed");

            SplittableRandom moments = new SplittableRandom(7);
            for (int kill = 0; kill < RANDOM_KILLS; kill++) {
                String name = "random-" + kill;
                CompletableFuture<JsonObject> creation = CompletableFuture.supplyAsync(() -> {
                    try {
                        return coordinator.createKey(name, "AES-256", 2, custodians);
                    } catch (ApiException e) {
                        return null;
                    }
                });
                Thread.sleep(moments.nextInt(20, 400));
                cluster.kill("coordinator");
                creation.join();
                cluster.restart("coordinator");
                assertNeverHalfCreated(name);
            }
            JsonObject audit = coordinator.auditVerify();
            assertTrue(audit.getBoolean("ok"), audit.encode());
        } finally {
            cluster.stopAll();
            System.out.printf("CoordinatorCrashTest: 3 named crash points, %d random kills, %.1f s%n", RANDOM_KILLS,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private void crashNextCallAt(String point) throws Exception {
        cluster.kill("coordinator");
        cluster.restart("coordinator", Map.of(CrashPoints.VARIABLE, point));
    }

    private void restartAfterCrash() throws Exception {
        cluster.kill("coordinator"); // it halted itself; this only waits for it to be gone
        cluster.restart("coordinator");
        assertTrue(coordinator.auditVerify().getBoolean("ok"), "the journal verifies after the crash");
    }

    /** A key whose ceremony was interrupted either does not exist or has no usable version. */
    private void assertNeverHalfCreated(String name) throws Exception {
        JsonObject key;
        try {
            key = coordinator.key(name);
        } catch (ApiException e) {
            assertEquals(404, e.status(), e.getMessage());
            return;
        }
        for (Object o : key.getJsonArray("versions")) {
            JsonObject version = (JsonObject) o;
            String state = version.getString("state");
            if (state.equals("PRE_ACTIVE") || state.equals("ACTIVE")) {
                // committed before the crash: then it is whole — its manifest is there and countersignable
                JsonObject manifest = coordinator.manifest(name, version.getInteger("version"));
                assertEquals(version.getString("digest"), manifest.getString("digest"));
            }
        }
    }

    private void countersign(String keyId) throws Exception {
        for (int i = 1; i <= 3; i++) {
            CustodianDesk.countersign(coordinator, keyId, 1, "c" + i, keys.get(i - 1), null);
        }
    }

    private static dev.keyescrow.cli.custodian.ReviewedRequest awaitReview(NodeClient node, String requestId)
            throws Exception {
        return CustodianDesk.awaitReview(node, requestId, java.time.Duration.ofSeconds(30), null);
    }

    private String awaitState(String requestId, String state) throws Exception {
        String now = coordinator.request(requestId).getString("state");
        for (int i = 0; i < 300 && !state.equals(now); i++) {
            Thread.sleep(100);
            now = coordinator.request(requestId).getString("state");
        }
        return now;
    }
}
