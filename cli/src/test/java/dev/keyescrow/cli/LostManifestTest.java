package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.core.wire.ClusterMaps;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        try (TestCluster testCluster = TestCluster.start(dir, 3)) {
            LocalCluster cluster = testCluster.cluster();
            CoordinatorClient coordinator = testCluster.coordinator();
            coordinator.createKey("k", "AES-256", 2, testCluster.custodianIds());
            testCluster.countersignAll("k", 1);
            String refresh = coordinator.createRequest("k", "REFRESH", "lost manifest drill", 600, new JsonObject())
                    .getString("requestId");
            testCluster.approveByFirst(2, refresh);
            assertEquals("EXECUTED", testCluster.awaitEnd(refresh, Duration.ofSeconds(60)).getString("state"));

            cluster.kill("node-3");
            testCluster.countersignAll("k", 2);
            assertEquals("DESTROYED", testCluster.awaitVersion("k", 1, "DESTROYED"));
            HazelcastInstance member = Hazelcast.newHazelcastInstance(liteMember(cluster.layout()));
            try {
                member.getMap(ClusterMaps.MANIFESTS).delete("k/2");
            } finally {
                member.shutdown();
            }
            cluster.restart("node-3");

            String node3 = testCluster.nodeUrl(3);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (TestCluster.holds(node3, "k", 1) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertFalse(TestCluster.holds(node3, "k", 1), "node-3 still holds its share of k v1, which the"
                    + " coordinator journaled DESTROYED");
        }
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
