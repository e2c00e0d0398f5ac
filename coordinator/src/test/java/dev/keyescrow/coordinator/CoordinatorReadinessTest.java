package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.coordinator.TestCluster.Response;
import io.vertx.core.json.JsonObject;
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
}
