package dev.keyescrow.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escrow cluster start} tells the truth: two clusters starting at once on one machine
 * both start, even when another server takes a port one of them picked (it answers ready on
 * that port, as another cluster's node would); and a member that dies during start fails the
 * start, which names it and why and leaves nothing running.
 */
class ClusterStartRaceTest {
    @TempDir
    Path dir;

    @Test
    void twoClustersAtOnce_withAPortTakenByAnotherServer_bothStartWithEveryMemberAnsweringAsItself()
            throws Exception {
        ByteArrayOutputStream progressA = new ByteArrayOutputStream();
        LocalCluster a = new LocalCluster(dir.resolve("a"), new PrintStream(progressA, true, StandardCharsets.UTF_8));
        LocalCluster b = new LocalCluster(dir.resolve("b"), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        AtomicReference<HttpServer> squatter = new AtomicReference<>();
        a.beforeLaunch((attempt, ports) -> {
            if (attempt == 1) {
                // another process takes node-1's port between the pick and the bind, and answers ready there
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", ports.http().get("node-1")), 0);
                server.createContext("/", exchange -> {
                    byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
                squatter.set(server);
            }
        });
        try {
            CompletableFuture<LocalCluster.Started> startA = CompletableFuture.supplyAsync(() -> start(a));
            CompletableFuture<LocalCluster.Started> startB = CompletableFuture.supplyAsync(() -> start(b));
            LocalCluster.Started startedA = startA.join();
            LocalCluster.Started startedB = startB.join();
            assertTrue(progressA.toString(StandardCharsets.UTF_8).contains("starting again with fresh ports"),
                    progressA.toString(StandardCharsets.UTF_8));
            Set<String> urls = new HashSet<>();
            for (LocalCluster.Started s : List.of(startedA, startedB)) {
                for (MemberProcess m : s.members()) {
                    assertTrue(ProcessRecords.live(m).isPresent(), m.id() + " is running");
                    assertTrue(urls.add(m.url()), "every member has its own port: " + m.url());
                    assertTrue(a.healthy(m.url()), m.id() + " answers ready");
                }
            }
            int squatted = squatter.get().getAddress().getPort();
            startedA.members().forEach(m -> assertNotEquals("http://127.0.0.1:" + squatted, m.url()));
            assertEquals(3, startedA.members().size());
        } finally {
            a.stopAll();
            b.stopAll();
            if (squatter.get() != null) {
                squatter.get().stop(0);
            }
        }
        assertTrue(a.running().isEmpty() && b.running().isEmpty(), "stop leaves nothing running");
    }

    @Test
    void aMemberThatDiesDuringStart_failsTheStart_namingItAndWhy_andNothingIsLeftRunning() throws Exception {
        LocalCluster cluster = new LocalCluster(dir.resolve("c"), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        // node-2's token is wiped after enrolment: the node refuses to start
        cluster.beforeLaunch((attempt, ports) -> Files.delete(cluster.layout().memberDir("node-2")
                .resolve("vault.bcfks")));
        IOException failed = assertThrows(IOException.class, () -> cluster.start(2, true));
        assertTrue(failed.getMessage().contains("node-2 exited during start"), failed.getMessage());
        assertTrue(failed.getMessage().contains("escrow node fingerprint") || failed.getMessage().contains("token"),
                "the reason, from the member's log: " + failed.getMessage());
        assertTrue(cluster.running().isEmpty(), "what the start started is stopped: " + cluster.running());
    }

    private static LocalCluster.Started start(LocalCluster cluster) {
        try {
            return cluster.start(2, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
