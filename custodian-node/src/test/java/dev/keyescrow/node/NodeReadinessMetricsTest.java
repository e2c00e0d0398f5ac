package dev.keyescrow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * answers 503 naming it; both recover when the fault goes.
 */
class NodeReadinessMetricsTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFailedCheckShowsZeroAnd503_andOneAgainOnceFixed() throws Exception {
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
}
