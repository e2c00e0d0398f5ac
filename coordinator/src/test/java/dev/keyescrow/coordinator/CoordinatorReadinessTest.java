package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.coordinator.TestCluster.Response;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's {@code GET /v1/health/ready} on a real server: token, journal, cluster and
 * pins, each named, each with its gauge. (The token check against a damaged SoftHSM2 token is
 * {@code TokenReadinessTest} in the cli module, on member processes.)
 */
class CoordinatorReadinessTest {
    @TempDir
    Path dir;

    @Test
    void aServingCoordinatorIsReady_checkByCheck() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 1)) {
            Response ready = cluster.get("/v1/health/ready");
            assertEquals(200, ready.status(), ready.body());
            JsonObject body = ready.json();
            assertEquals("UP", body.getString("status"));
            for (String check : List.of("token", "journal", "cluster", "pins")) {
                assertEquals("UP", body.getJsonObject("checks").getJsonObject(check).getString("status"), ready.body());
            }
        }
    }

    @Test
    void aFailedCheckShowsZeroOnItsGaugeAnd503_andOneOnceFixed() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 1)) {
            String metrics = cluster.get("/metrics").body();
            for (String check : List.of("token", "journal", "cluster", "pins")) {
                assertTrue(metrics.contains("keyescrow_coordinator_ready{check=\"" + check + "\"} 1"), metrics);
            }
            // the journal probe cannot be replaced: a non-empty directory where the probe file goes
            Path blocker = cluster.config.stateDirectory().resolve(".ready-probe");
            Files.createDirectories(blocker);
            Files.writeString(blocker.resolve("in-the-way"), "x");
            Response ready = cluster.get("/v1/health/ready");
            assertEquals(503, ready.status(), ready.body());
            assertEquals("DOWN", ready.json().getJsonObject("checks").getJsonObject("journal").getString("status"));
            metrics = cluster.get("/metrics").body();
            assertTrue(metrics.contains("keyescrow_coordinator_ready{check=\"journal\"} 0"), metrics);
            assertTrue(metrics.contains("keyescrow_coordinator_ready{check=\"token\"} 1"), metrics);
            Files.delete(blocker.resolve("in-the-way"));
            Files.delete(blocker);
            assertEquals(200, cluster.get("/v1/health/ready").status());
            assertTrue(cluster.get("/metrics").body().contains("keyescrow_coordinator_ready{check=\"journal\"} 1"));
        }
    }

    @Test
    void aMemberAloneStaysReady_aStoppedMemberTurnsTheClusterCheck503_andTheCoordinatorStillStops()
            throws Exception {
        TestCluster cluster = new TestCluster(dir, 1);
        try {
            HazelcastInstance own = Hazelcast.getAllHazelcastInstances().stream()
                    .filter(m -> m != cluster.nodeMember
                            && m.getConfig().getClusterName().equals(cluster.config.cluster().clusterName()))
                    .findFirst().orElseThrow();
            // the nodes' member leaves: the coordinator is alone, and a partition is not unreadiness
            cluster.nodeMember.shutdown();
            TestCluster.await("the coordinator alone", () -> own.getCluster().getMembers().size() == 1);
            Response alone = cluster.get("/v1/health/ready");
            assertEquals(200, alone.status(), alone.body());
            assertEquals("UP", alone.json().getJsonObject("checks").getJsonObject("cluster").getString("status"));

            // its own member stops under it (Hazelcast shut down): it cannot serve
            own.getLifecycleService().terminate();
            Response ready = cluster.get("/v1/health/ready");
            assertEquals(503, ready.status(), ready.body());
            JsonObject clusterCheck = ready.json().getJsonObject("checks").getJsonObject("cluster");
            assertEquals("DOWN", clusterCheck.getString("status"), ready.body());
            assertTrue(clusterCheck.getString("reason").contains("not running"), ready.body());
            for (String check : List.of("token", "journal", "pins")) {
                assertEquals("UP", ready.json().getJsonObject("checks").getJsonObject(check).getString("status"),
                        ready.body());
            }
            Response metrics = cluster.get("/metrics");
            assertEquals(200, metrics.status(), metrics.body());
            assertTrue(metrics.body().contains("keyescrow_coordinator_ready{check=\"cluster\"} 0"), metrics.body());
            assertTrue(metrics.body().contains("keyescrow_coordinator_ready{check=\"token\"} 1"), metrics.body());
        } catch (Throwable t) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }
        // stopping must not trip over the dead member: sessions end and keys are zeroed after the bridge closes
        assertDoesNotThrow(cluster::close, "a coordinator whose cluster member stopped still stops in good order");
    }
}
