package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's {@code GET /v1/health/ready} on a real server: token, journal, cluster and pins, each named. */
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
}
