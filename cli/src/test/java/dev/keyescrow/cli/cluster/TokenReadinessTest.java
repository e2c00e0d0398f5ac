package dev.keyescrow.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code token} readiness check of real members (separate JVMs, SoftHSM2 tokens, HTTP), as
 * an operator or a load balancer sees it: when a node's or the coordinator's token files are
 * damaged, or the token is gone from the module, {@code GET /v1/health/ready} answers 503 with
 * the {@code token} check DOWN and a reason naming the token, the other checks still UP, and
 * the {@code keyescrow_*_ready{check="token"}} gauge at {@code /metrics} drops to 0; both come
 * back once the token does.
 */
class TokenReadinessTest {
    private static final List<String> OTHER_CHECKS = List.of("journal", "cluster", "pins");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aDamagedOrVanishedTokenTurnsTheTokenCheck503_andItsGaugeZero() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        try {
            LocalCluster.Started started = cluster.start(2, false);
            assertTrue(started.backend().startsWith("SoftHSM2"), "SoftHSM2 is required: " + started.backend());
            String coordinator = url(cluster, ClusterLayout.COORDINATOR);
            String node = url(cluster, "node-1");
            assertTokenGauge(node, "keyescrow_node_ready", 1);
            assertTokenGauge(coordinator, "keyescrow_coordinator_ready", 1);

            // a node's token files overwritten while it runs (a failing disk, a bad restore)
            Path nodeTokens = cluster.layout().memberDir("node-1").resolve("tokens");
            Path nodeBackup = dir.resolve("node-1-tokens-backup");
            copyTree(nodeTokens, nodeBackup);
            overwrite(nodeTokens, new SplittableRandom(7));
            assertTokenDown(node, "node-1");
            assertTokenGauge(node, "keyescrow_node_ready", 0);
            assertEquals("UP", ready(node).getJsonObject("checks").getJsonObject("journal").getString("status"));
            restore(nodeBackup, nodeTokens);
            awaitStatus(node, 200);
            assertTokenGauge(node, "keyescrow_node_ready", 1);

            // the token gone from the module: its directory deleted under the running node
            deleteTree(nodeTokens);
            assertTokenDown(node, "node-1");
            assertTokenGauge(node, "keyescrow_node_ready", 0);
            // the operator puts the token back and restarts the node (its key handles went with the token)
            restore(nodeBackup, nodeTokens);
            cluster.kill("node-1");
            cluster.restart("node-1");
            assertEquals(200, get(node, "/v1/health/ready").statusCode());
            assertTokenGauge(node, "keyescrow_node_ready", 1);

            // the coordinator's token, the same way
            Path coordinatorTokens = cluster.layout().memberDir(ClusterLayout.COORDINATOR).resolve("tokens");
            Path coordinatorBackup = dir.resolve("coordinator-tokens-backup");
            copyTree(coordinatorTokens, coordinatorBackup);
            overwrite(coordinatorTokens, new SplittableRandom(8));
            assertTokenDown(coordinator, ClusterLayout.COORDINATOR);
            assertTokenGauge(coordinator, "keyescrow_coordinator_ready", 0);
            restore(coordinatorBackup, coordinatorTokens);
            awaitStatus(coordinator, 200);
            assertTokenGauge(coordinator, "keyescrow_coordinator_ready", 1);
        } finally {
            cluster.stopAll();
        }
    }

    /** Waits for the 503 (the damage shows at the token's next use), then checks what it says. */
    private void assertTokenDown(String base, String label) throws Exception {
        awaitStatus(base, 503);
        JsonObject body = ready(base);
        assertEquals("DOWN", body.getString("status"), body.encode());
        JsonObject token = body.getJsonObject("checks").getJsonObject("token");
        assertEquals("DOWN", token.getString("status"), body.encode());
        assertTrue(token.getString("reason").contains("'" + label + "'"), "the reason names the token: " + body);
        for (String check : OTHER_CHECKS) {
            assertEquals("UP", body.getJsonObject("checks").getJsonObject(check).getString("status"), body.encode());
        }
    }

    private void assertTokenGauge(String base, String metric, int value) throws Exception {
        HttpResponse<String> metrics = get(base, "/metrics");
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(metrics.body().contains(metric + "{check=\"token\"} " + value), metrics.body());
        for (String check : OTHER_CHECKS) {
            assertTrue(metrics.body().contains(metric + "{check=\"" + check + "\"} 1"), metrics.body());
        }
    }

    private JsonObject ready(String base) throws Exception {
        return new JsonObject(get(base, "/v1/health/ready").body());
    }

    private void awaitStatus(String base, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int seen;
        while ((seen = get(base, "/v1/health/ready").statusCode()) != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(base + " answered " + seen + ", not " + status + ", for 30 s: "
                        + get(base, "/v1/health/ready").body());
            }
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> get(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String url(LocalCluster cluster, String id) throws IOException {
        return LocalCluster.recorded(cluster.layout()).stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow().url();
    }

    /** Every token file overwritten in place with seeded random bytes of its own length. */
    private static void overwrite(Path tokens, SplittableRandom random) throws IOException {
        for (Path file : files(tokens)) {
            byte[] content = new byte[(int) Files.size(file)];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) random.nextInt(256);
            }
            Files.write(file, content);
        }
    }

    private static void restore(Path backup, Path tokens) throws IOException {
        deleteTree(tokens);
        copyTree(backup, tokens);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted().toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
