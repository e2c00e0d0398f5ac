package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.coordinator.CrashPoints;
import dev.keyescrow.core.signature.EcdsaP256;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the chaos suite (reliability.md, defect 1): the coordinator killed after it
 * published a ceremony's imports and every node imported its share; on restart it rolls the
 * ceremony back. Every node must then shred the shares of that never-committed version (the
 * coordinator publishes a signed rollback), and a later DESTROY must leave nothing of it:
 * before the fix the shares stayed, and every DESTROY re-wrapped them as survivors.
 */
class RolledBackCeremonyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aCeremonyRolledBackByACoordinatorRestartLeavesNoShareOnAnyNode() throws Exception {
        try (TestCluster testCluster = TestCluster.start(dir, 3)) {
            LocalCluster cluster = testCluster.cluster();
            CoordinatorClient coordinator = testCluster.coordinator();
            List<String> urls = testCluster.nodeUrls();
            JsonArray custodians = testCluster.custodianIds();

            coordinator.createKey("base", "AES-256", 2, custodians);
            testCluster.countersignAll("base", 1);

            // the coordinator halts right after publishing the imports of k v1; the nodes import them
            cluster.kill("coordinator");
            cluster.restart("coordinator", Map.of(CrashPoints.VARIABLE, CrashPoints.CEREMONY_IMPORTS_PUBLISHED));
            assertThrows(ApiException.class, () -> coordinator.createKey("k", "AES-256", 2, custodians));
            for (String url : urls) {
                assertTrue(await(() -> TestCluster.holds(url, "k", 1)), url + " never imported its share of k v1");
            }
            cluster.kill("coordinator"); // it halted itself; this only waits for it to be gone
            cluster.restart("coordinator");

            for (String url : urls) {
                assertTrue(await(() -> !TestCluster.holds(url, "k", 1)), url + " still holds its share of k v1, whose"
                        + " ceremony the coordinator rolled back");
            }

            // each node's signed rollback receipt, naming the rollback, is verified, journaled and audited
            assertTrue(await(() -> rollbackReceipts(coordinator).size() == 3), "rollback receipts journaled: "
                    + rollbackReceipts(coordinator));
            for (JsonObject receipt : rollbackReceipts(coordinator)) {
                assertEquals("k", receipt.getString("keyId"));
                assertEquals(1, receipt.getInteger("version"));
                assertEquals("keyescrow-rollback-receipt-v1", receipt.getString("statement"), receipt.encode());
                assertTrue(receipt.getString("manifestDigest", "").matches("[0-9a-f]{64}"), receipt.encode());
                assertEquals(1, receipt.getJsonArray("destroyed").size(), receipt.encode());
                assertTrue(receipt.getJsonArray("destroyed").getString(0).startsWith("k/1/"), receipt.encode());
            }
            String fingerprint = EcdsaP256.fingerprint(Base64.getDecoder().decode(new NodeClient(urls.get(0)).node()
                    .getString("coordinatorPublicKey")));
            OfflineImportAndSessionTest.Run shown = OfflineImportAndSessionTest.escrow("audit", "show", "--cluster",
                    dir.toString(), "--coordinator-fingerprint", fingerprint);
            assertEquals(0, shown.exit(), shown.text() + shown.err());
            for (int i = 1; i <= 3; i++) {
                assertTrue(shown.text().contains("OK      rollback receipt k v1 by node-" + i), shown.text());
            }
            // journaled: a restarted coordinator still has them (and publishes the rollback no more)
            cluster.kill("coordinator");
            cluster.restart("coordinator");
            assertEquals(3, rollbackReceipts(coordinator).size(), "rollback receipts after a coordinator restart");

            // a later DESTROY (an epoch rotation on every node) leaves nothing of k v1 nor of the destroyed key
            String destroy = coordinator.createRequest("base", "DESTROY", "rollback drill", 600, new JsonObject())
                    .getString("requestId");
            testCluster.approveByFirst(2, destroy);
            for (String url : urls) {
                assertTrue(await(() -> !holdsAnyOf(url, "base")), url + " holds shares of base after its DESTROY");
                assertFalse(holdsAnyOf(url, "k"), url + " holds shares of k after a DESTROY");
            }
        }
    }

    private static boolean await(TestCluster.Condition condition) throws Exception {
        return TestCluster.await(condition, PATIENCE);
    }

    private static List<JsonObject> rollbackReceipts(CoordinatorClient coordinator) throws Exception {
        List<JsonObject> receipts = new ArrayList<>();
        coordinator.auditSignatures().getJsonArray("rollbackReceipts").forEach(r -> receipts.add((JsonObject) r));
        return receipts;
    }

    private static boolean holdsAnyOf(String nodeUrl, String keyId) throws Exception {
        for (Object o : TestCluster.shares(nodeUrl)) {
            if (keyId.equals(((JsonObject) o).getString("keyId"))) {
                return true;
            }
        }
        return false;
    }
}
