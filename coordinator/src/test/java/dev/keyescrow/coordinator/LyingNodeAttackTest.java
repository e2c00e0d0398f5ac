package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.ImportReceiptMessage;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.Statements;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: one lying node (its administrator holds the token PIN, so it signs whatever it
 * likes with the node's pinned identity key) publishes, through the cluster, correctly
 * signed receipts and releases with hostile values: shares outside the manifest, shares of
 * other nodes, versions and keys that do not exist. The coordinator must refuse each before
 * its journal, so that a restart still replays every record: one node must not be able to
 * stop the coordinator for ever, nor make it count what the manifest does not say.
 */
class LyingNodeAttackTest {
    @TempDir
    Path dir;

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new TestCluster(dir, 3, Duration.ofSeconds(5));
        cluster.registerCustodians();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aReceiptNamingAShareOutsideTheManifest_isRefused_andTheCoordinatorRestarts() throws Exception {
        String keyId = cluster.createActiveKey("lying-receipt");
        Response created = cluster.post("/v1/keys/" + keyId + "/requests", new JsonObject().put("operation", "DESTROY")
                .put("reason", "attack").put("ttlSeconds", 600).put("params", new JsonObject()), TestCluster.ALICE);
        assertEquals(201, created.status(), created.body());
        String requestId = created.json().getString("requestId");

        for (String lie : List.of(keyId + "/1/99", keyId + "/1/3", keyId + "/2/1", "other-key/1/1")) {
            publishSignedReceipt(requestId, "node-2", lie);
        }
        // a receipt that the coordinator does accept, so that something newer than the lies is journaled
        Response cancel = cluster.post("/v1/requests/" + requestId + "/cancel", new JsonObject(), TestCluster.ALICE);
        assertEquals(200, cancel.status(), cancel.body());

        cluster.restartCoordinator();

        Response key = cluster.get("/v1/keys/" + keyId);
        assertEquals(200, key.status(), key.body());
        assertTrue(key.body().contains("\"shredded\":[]"), "no share counted as shredded: " + key.body());
        Response request = cluster.get("/v1/requests/" + requestId);
        assertEquals("CANCELLED", request.json().getString("state"), request.body());
        JsonArray shredded = request.json().getJsonArray("shreddedNodes", new JsonArray());
        assertTrue(shredded.isEmpty(), "no lying receipt counted: " + shredded);
    }

    /** Node-2's identity key signs a shred statement for {@code label}, as its PIN holder could. */
    private void publishSignedReceipt(String requestId, String nodeId, String label) throws Exception {
        String[] parts = label.split("/");
        ShareRef ref = new ShareRef(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 1);
        long epoch = 7;
        byte[] signature = cluster.node(2).token.identity().sign(Statements.shredReceipt(nodeId, epoch, List.of(ref)));
        ShredReceiptMessage message = new ShredReceiptMessage(requestId, nodeId, epoch, List.of(label), signature);
        IMap<String, byte[]> shreds = cluster.nodeMember.getMap(ClusterMaps.SHREDS);
        shreds.set(message.key() + "-" + parts[2] + parts[1], message.encode());
        shreds.set(message.key(), message.encode());
        Thread.sleep(300);
    }

    @Test
    void hostileReleasesAndImportReceipts_leaveTheCoordinatorRestartable() throws Exception {
        String keyId = cluster.createActiveKey("lying-release");
        Response created = cluster.post("/v1/keys/" + keyId + "/requests", new JsonObject().put("operation", "USE")
                .put("reason", "attack").put("ttlSeconds", 600).put("params", new JsonObject()
                        .put("maxOperations", 5).put("sessionSeconds", 600)), TestCluster.ALICE);
        assertEquals(201, created.status(), created.body());
        String requestId = created.json().getString("requestId");
        byte[] digest = java.util.HexFormat.of().parseHex(created.json().getString("digest"));
        var node2 = cluster.node(2).token.identity();
        IMap<String, byte[]> releases = cluster.nodeMember.getMap(ClusterMaps.RELEASES);
        IMap<String, byte[]> receipts = cluster.nodeMember.getMap(ClusterMaps.RECEIPTS);
        int[] indices = {1, 3, 4, 99, 255};
        String[] keys = {keyId, "other-key"};
        int[] versions = {1, 2, Integer.MAX_VALUE};
        int[] lengths = {1, 32, 65536};
        byte[] wrapped = new byte[40];
        for (int index : indices) {
            for (String key : keys) {
                for (int version : versions) {
                    for (int length : lengths) {
                        ShareRef ref = new ShareRef(key, version, index, length);
                        byte[] signature = node2.sign(Statements.release(requestId, digest, "node-2", ref, wrapped));
                        ReleaseMessage release = new ReleaseMessage(requestId, created.json().getString("digest"),
                                "node-2", key, version, index, length, wrapped, signature);
                        releases.set(release.key(), release.encode());
                        String envelopeDigest = "ee".repeat(32);
                        String blobDigest = "dd".repeat(32);
                        byte[] receiptSignature = node2.sign(dev.keyescrow.coordinator.ledger.NodeStatements
                                .importReceipt("node-2", ref, envelopeDigest, blobDigest));
                        ImportReceiptMessage receipt = new ImportReceiptMessage("node-2", key, version, index, length,
                                envelopeDigest, blobDigest, receiptSignature);
                        receipts.set(receipt.key(), receipt.encode());
                    }
                }
            }
        }
        Thread.sleep(1000);
        Response cancel = cluster.post("/v1/requests/" + requestId + "/cancel", new JsonObject(), TestCluster.ALICE);
        assertEquals(200, cancel.status(), cancel.body());

        cluster.restartCoordinator();

        Response request = cluster.get("/v1/requests/" + requestId);
        assertEquals(200, request.status(), request.body());
        assertEquals("CANCELLED", request.json().getString("state"), request.body());
        assertTrue(request.json().getJsonArray("releases").isEmpty(), "no lying release counted: " + request.body());
        Response key = cluster.get("/v1/keys/" + keyId);
        assertEquals(200, key.status(), key.body());
        Response audit = cluster.get("/v1/audit/verify");
        assertEquals(200, audit.status(), audit.body());
    }
}
