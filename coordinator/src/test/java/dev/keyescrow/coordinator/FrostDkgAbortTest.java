package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.frost.DkgComplaintException.Reason;
import dev.keyescrow.core.frost.DkgContext;
import dev.keyescrow.core.frost.DkgParticipant;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.DkgCallMessage;
import dev.keyescrow.core.wire.DkgComplaintMessage;
import dev.keyescrow.core.wire.DkgPackageMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/keys} with {@code scheme: FROST} over real HTTP and a real Hazelcast cluster,
 * the test playing the holders' nodes in the DKG with their real identity keys (the stand-in
 * nodes' tokens): a node whose proof of knowledge was made for another ceremony, and a node
 * named in another node's signed complaint, make the coordinator abort the DKG and answer a
 * 503 problem naming that node; nothing is created. An AES key with scheme FROST is a 422.
 */
class FrostDkgAbortTest {
    @TempDir
    Path dir;

    private static JsonObject body(String name) {
        return new JsonObject().put("name", name).put("algorithm", "ED25519").put("threshold", 2)
                .put("scheme", "FROST").put("custodians", new JsonArray().add("custodian-1").add("custodian-2")
                        .add("custodian-3"));
    }

    @Test
    void aCheatingNodeIsNamedInTheProblem_andNothingIsCreated() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3)) {
            cluster.registerCustodians();
            Response aes = cluster.post("/v1/keys", body("aes-frost").put("algorithm", "AES-256"), TestCluster.ALICE);
            assertEquals(422, aes.status(), aes.body());

            // node-2 publishes a package whose proof binds another ceremony; nodes 1 and 3 are honest
            CompletableFuture<Void> nodes = CompletableFuture.runAsync(() -> play(cluster, "bad-proof"));
            Response refused = cluster.post("/v1/keys", body("dkg-key"), TestCluster.ALICE);
            nodes.join();
            assertEquals(503, refused.status(), refused.body());
            assertEquals("application/problem+json", refused.contentType());
            assertTrue(refused.json().getString("detail").contains(
                    "node-2 (participant 2) published a proof of knowledge that does not verify"), refused.body());
            assertEquals(404, cluster.get("/v1/keys/dkg-key").status(), "nothing was created");

            // node-1 complains that participant 3 sent a share that does not match its commitment
            nodes = CompletableFuture.runAsync(() -> play(cluster, "complaint"));
            Response named = cluster.post("/v1/keys", body("dkg-key"), TestCluster.ALICE);
            nodes.join();
            assertEquals(503, named.status(), named.body());
            assertTrue(named.json().getString("detail").contains(
                    "node-3 (participant 3) was named by node-1 (participant 1): SHARE_MISMATCH"), named.body());
            assertEquals(404, cluster.get("/v1/keys/dkg-key").status(), "nothing was created");
        }
    }

    /** Waits for the next DKG call and answers it as the three nodes, with one lie. */
    private static void play(TestCluster cluster, String lie) {
        try {
            IMap<String, byte[]> calls = cluster.nodeMember.getMap(ClusterMaps.DKG_CALLS);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (calls.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no DKG call within 30 s");
                }
                Thread.sleep(20);
            }
            DkgCallMessage call = DkgCallMessage.decode(calls.values().iterator().next());
            for (int i = 1; i <= 3; i++) {
                DkgContext context = "bad-proof".equals(lie) && i == 2
                        ? new DkgContext(call.keyId(), call.version(), 2, 3, "dkg-another-ceremony") : call.context();
                try (DkgParticipant p = DkgParticipant.start(ParticipantId.of(i), context, cluster.random)) {
                    DkgPackageMessage unsigned = new DkgPackageMessage(call.ceremonyId(), "node-" + i, i,
                            p.round1Package().encode(), new byte[64]);
                    DkgPackageMessage signed = new DkgPackageMessage(call.ceremonyId(), "node-" + i, i,
                            unsigned.pkg(), cluster.node(i).token.identity().sign(unsigned.statement()));
                    cluster.nodeMember.getMap(ClusterMaps.DKG_PACKAGES).set(signed.key(), signed.encode());
                }
            }
            if ("complaint".equals(lie)) {
                DkgComplaintMessage unsigned = new DkgComplaintMessage(call.ceremonyId(), "node-1", 1, 3,
                        Reason.SHARE_MISMATCH, new byte[64]);
                DkgComplaintMessage signed = new DkgComplaintMessage(call.ceremonyId(), "node-1", 1, 3,
                        Reason.SHARE_MISMATCH, cluster.node(1).token.identity().sign(unsigned.statement()));
                cluster.nodeMember.getMap(ClusterMaps.DKG_COMPLAINTS).set(signed.key(), signed.encode());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
