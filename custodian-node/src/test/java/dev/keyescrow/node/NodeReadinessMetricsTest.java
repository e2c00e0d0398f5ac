package dev.keyescrow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.setup.Tokens;
import dev.keyescrow.node.config.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node's readiness gauges: {@code keyescrow_node_ready{check=...}} is 1 for each passing
 * check, and a check broken on disk shows 0 on {@code /metrics} while {@code /v1/health/ready}
 * answers 503 naming it; both recover when the fault goes. A member alone is ready; a member
 * whose Hazelcast instance stopped is not. (The token check against a damaged SoftHSM2 token is
 * {@code TokenReadinessTest} in the cli module, on node processes.)
 */
class NodeReadinessMetricsTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A development node's configuration, its keys provisioned as enrolment does. */
    private NodeConfig enrolledNode() throws Exception {
        String coordinatorKey = Base64.getEncoder().encodeToString(
                SoftwareP256Signer.generate(new SecureRandom()).publicKey());
        Files.createFile(dir.resolve("vault.pass"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(dir.resolve("vault.pass"), "correct horse battery staple");
        Path file = dir.resolve("node.json");
        Files.writeString(file, NodeProcessTest.devConfig("node-3", coordinatorKey,
                18701 + new SecureRandom().nextInt(1000)));
        NodeConfig config = NodeConfig.load(file);
        Tokens.openOrProvision(config.token(), "node-3", new SecureRandom()).close();
        return config;
    }

    @Test
    void aFailedCheckShowsZeroAnd503_andOneAgainOnceFixed() throws Exception {
        NodeConfig config = enrolledNode();
        try (NodeProcess node = NodeProcess.start(config, Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + node.httpPort();
            String metrics = get(base, "/metrics").body();
            for (String check : java.util.List.of("token", "journal", "cluster", "pins")) {
                assertTrue(metrics.contains("keyescrow_node_ready{check=\"" + check + "\"} 1"), metrics);
            }
            // the journal probe cannot be replaced: a non-empty directory where the probe file goes
            Path blocker = config.stateDirectory().resolve(".ready-probe");
            Files.createDirectories(blocker);
            Files.writeString(blocker.resolve("in-the-way"), "x");
            HttpResponse<String> ready = get(base, "/v1/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("DOWN", new JsonObject(ready.body()).getJsonObject("checks").getJsonObject("journal")
                    .getString("status"), ready.body());
            metrics = get(base, "/metrics").body();
            assertTrue(metrics.contains("keyescrow_node_ready{check=\"journal\"} 0"), metrics);
            assertTrue(metrics.contains("keyescrow_node_ready{check=\"token\"} 1"), metrics);
            Files.delete(blocker.resolve("in-the-way"));
            Files.delete(blocker);
            assertEquals(200, get(base, "/v1/health/ready").statusCode());
            metrics = get(base, "/metrics").body();
            assertTrue(metrics.contains("keyescrow_node_ready{check=\"journal\"} 1"), metrics);
        }
    }

    @Test
    void aMemberAloneIsReady_aStoppedMemberTurnsTheClusterCheck503AndItsGaugeZero() throws Exception {
        NodeConfig config = enrolledNode();
        try (NodeProcess node = NodeProcess.start(config, Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + node.httpPort();
            // the only member of its cluster: alone, and ready (a partition is not unreadiness)
            HazelcastInstance own = Hazelcast.getAllHazelcastInstances().stream()
                    .filter(m -> m.getConfig().getClusterName().equals(config.cluster().clusterName()))
                    .findFirst().orElseThrow();
            assertEquals(1, own.getCluster().getMembers().size());
            assertEquals(200, get(base, "/v1/health/ready").statusCode());

            // its Hazelcast member stops under it: it cannot take part in anything
            own.getLifecycleService().terminate();
            HttpResponse<String> ready = get(base, "/v1/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonObject checks = new JsonObject(ready.body()).getJsonObject("checks");
            assertEquals("DOWN", checks.getJsonObject("cluster").getString("status"), ready.body());
            assertTrue(checks.getJsonObject("cluster").getString("reason").contains("not running"), ready.body());
            for (String check : java.util.List.of("token", "journal", "pins")) {
                assertEquals("UP", checks.getJsonObject(check).getString("status"), ready.body());
            }
            HttpResponse<String> metrics = get(base, "/metrics");
            assertEquals(200, metrics.statusCode(), metrics.body());
            assertTrue(metrics.body().contains("keyescrow_node_ready{check=\"cluster\"} 0"), metrics.body());
            assertTrue(metrics.body().contains("keyescrow_node_ready{check=\"token\"} 1"), metrics.body());
        }
    }
}
