package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.wire.ClusterMaps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the chaos suite (reliability.md, defect 2): a node that is down while a REFRESH's
 * new version is countersigned, and whose catch-up then does not find that manifest in the
 * cluster maps (lost with its partition after two members died together), never learns the
 * successor and keeps its share of the old version after the coordinator has journaled it
 * DESTROYED. Here the loss is made on purpose: a plain Hazelcast member deletes the manifest
 * entry while node-3 is down. The coordinator must publish its manifests again when a member
 * joins, so node-3 shreds when it comes back.
 */
class LostManifestTest {
    @TempDir
    Path dir;

    @Test
    void aNodeThatMissedASuccessorsManifestStillShredsTheOldVersion() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        List<SecretBytes> keys = new ArrayList<>();
        HazelcastInstance member = null;
        try {
            LocalCluster.Started started = cluster.start(3, false);
            CoordinatorClient coordinator = new CoordinatorClient(started.coordinatorUrl(),
                    Files.readString(cluster.layout().operatorToken()).trim());
            JsonArray nodes = new JsonObject(Files.readString(cluster.layout().clusterJson())).getJsonArray("nodes");
            JsonArray custodians = new JsonArray();
            SecureRandom random = new SecureRandom();
            for (int i = 1; i <= 3; i++) {
                SecretBytes key = Ed25519.generatePrivateKey(random);
                keys.add(key);
                coordinator.registerCustodian("c" + i, Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(key)),
                        "node-" + i);
                custodians.add("c" + i);
            }
            coordinator.createKey("k", "AES-256", 2, custodians);
            countersign(coordinator, keys, 1);
            String refresh = coordinator.createRequest("k", "REFRESH", "lost manifest drill", 600, new JsonObject())
                    .getString("requestId");
            for (int i = 1; i <= 2; i++) {
                NodeClient node = new NodeClient(nodes.getJsonObject(i - 1).getString("url"));
                CustodianDesk.answer(node, CustodianDesk.awaitReview(node, refresh, Duration.ofSeconds(60), null),
                        "c" + i, Decision.APPROVE, keys.get(i - 1));
            }
            assertEquals("EXECUTED", awaitState(coordinator, refresh, "EXECUTED"));

            cluster.kill("node-3");
            countersign(coordinator, keys, 2);
            assertEquals("DESTROYED", awaitVersion(coordinator, "k", 1, "DESTROYED"));
            member = Hazelcast.newHazelcastInstance(liteMember(cluster.layout()));
            member.getMap(ClusterMaps.MANIFESTS).delete("k/2");
            member.shutdown();
            member = null;
            cluster.restart("node-3");

            String node3 = nodes.getJsonObject(2).getString("url");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (holdsVersion(node3, 1) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertFalse(holdsVersion(node3, 1), "node-3 still holds its share of k v1, which the coordinator"
                    + " journaled DESTROYED");
        } finally {
            if (member != null) {
                member.shutdown();
            }
            cluster.stopAll();
            keys.forEach(SecretBytes::destroy);
        }
    }

    private static void countersign(CoordinatorClient coordinator, List<SecretBytes> keys, int version)
            throws Exception {
        for (int i = 1; i <= 3; i++) {
            CustodianDesk.countersign(coordinator, "k", version, "c" + i, keys.get(i - 1), null);
        }
    }

    private static boolean holdsVersion(String nodeUrl, int version) throws Exception {
        HttpResponse<String> shares = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(nodeUrl + "/v1/shares")).build(), HttpResponse.BodyHandlers.ofString());
        for (Object o : new JsonArray(shares.body())) {
            JsonObject share = (JsonObject) o;
            if ("k".equals(share.getString("keyId")) && share.getInteger("version") == version) {
                return true;
            }
        }
        return false;
    }

    private static String awaitState(CoordinatorClient coordinator, String requestId, String state) throws Exception {
        String now = coordinator.request(requestId).getString("state");
        for (int i = 0; i < 600 && !state.equals(now); i++) {
            Thread.sleep(100);
            now = coordinator.request(requestId).getString("state");
        }
        return now;
    }

    private static String awaitVersion(CoordinatorClient coordinator, String keyId, int version, String state)
            throws Exception {
        String now = "";
        for (int i = 0; i < 600; i++) {
            for (Object o : coordinator.key(keyId).getJsonArray("versions")) {
                JsonObject v = (JsonObject) o;
                if (v.getInteger("version") == version) {
                    now = v.getString("state");
                }
            }
            if (state.equals(now)) {
                break;
            }
            Thread.sleep(100);
        }
        return now;
    }

    /** A plain lite member of the development cluster (what any process on the cluster network can run). */
    private static Config liteMember(ClusterLayout layout) throws Exception {
        JsonObject coordinatorConfig = new JsonObject(Files.readString(layout.config(ClusterLayout.COORDINATOR)));
        JsonObject clusterConfig = coordinatorConfig.getJsonObject("cluster");
        List<String> members = new ArrayList<>();
        clusterConfig.getJsonArray("members").forEach(m -> members.add((String) m));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Config config = new Config();
        config.setClusterName(clusterConfig.getString("name"));
        config.setLiteMember(true);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        return config;
    }
}
