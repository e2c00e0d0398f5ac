package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.RollbackMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack (threat model A3, a rogue cluster member): make the coordinator believe that a node
 * shredded the shares of a rolled-back ceremony when it never did, so the coordinator stops
 * publishing that rollback and the node, once back, keeps its shares of a version that never
 * committed.
 *
 * <p>The rogue needs no key: node-3 answered an earlier rollback (of a ceremony it held no share
 * of) with a genuine receipt that destroyed nothing, which the coordinator refused and never
 * journaled. While node-3 is away, a second ceremony that names it rolls back; the rogue copies
 * node-3's old receipt under the new rollback (as published, and re-addressed to the new
 * rollback's id, key, version and manifest digest) and deletes the rollback from the cluster.
 * The coordinator must journal none of it, publish the rollback again at its next start, and
 * journal node-3's real receipt once node-3 is back.
 */
class RollbackReceiptForgeryAttackTest {
    @TempDir
    Path dir;

    private TestCluster cluster;
    private HazelcastInstance rogue;

    @BeforeEach
    void start() throws Exception {
        cluster = new TestCluster(dir, 3, Duration.ofSeconds(5));
        cluster.registerCustodians();
        for (int i = 1; i <= 3; i++) {
            cluster.node(i).takeRollbacks();
        }
        Config honest = cluster.nodeMember.getConfig();
        Config config = new Config();
        config.setClusterName(honest.getClusterName());
        config.setLiteMember(true);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig().setPort(honest.getNetworkConfig().getPort() + 2).setPortAutoIncrement(true);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(honest.getNetworkConfig().getJoin().getTcpIpConfig()
                .getMembers());
        rogue = Hazelcast.newHazelcastInstance(config);
        TestCluster.await("the rogue joined", () -> cluster.nodeMember.getCluster().getMembers().size() == 3);
    }

    @AfterEach
    void stop() throws Exception {
        if (rogue != null) {
            rogue.shutdown();
        }
        cluster.close();
    }

    @Test
    void aCopiedReceiptNeverStandsInForANodesRollbackReceipt() throws Exception {
        IMap<String, byte[]> rollbacks = rogue.getMap(ClusterMaps.ROLLBACKS);
        IMap<String, byte[]> receipts = rogue.getMap(ClusterMaps.ROLLBACK_RECEIPTS);

        // a ceremony without node-3 rolls back (node-2 never imports); node-3 answers it anyway
        RollbackMessage bystander = rollBack("bystander", 2, List.of("custodian-1", "custodian-2"));
        String bystanderKey = bystander.rollbackId() + "/node-3";
        TestCluster.await("node-3 answered the bystander rollback", () -> receipts.containsKey(bystanderKey));
        byte[] copied = receipts.get(bystanderKey);
        assertTrue(rollbackReceipts().stream().noneMatch(r -> r.getString("nodeId").equals("node-3")),
                "node-3 holds nothing of the bystander ceremony: its receipt is not journaled");

        // node-3 is away while the victim ceremony, which names it, rolls back
        RollbackMessage victim = rollBack("victim", 3, List.of("custodian-1", "custodian-2", "custodian-3"));
        TestCluster.await("node-1 and node-2 receipted the victim rollback", () -> receiptedBy(victim).size() == 2);

        String forgedKey = victim.rollbackId() + "/node-3";
        receipts.set(forgedKey, copied);
        receipts.set(forgedKey, readdressed(copied, victim));
        rollbacks.delete(victim.key());
        Thread.sleep(1000);

        assertEquals(List.of("node-1", "node-2"), receiptedBy(victim),
                "a copied receipt of another rotation passed as node-3's rollback receipt");
        cluster.restartCoordinator();
        assertEquals(List.of("node-1", "node-2"), receiptedBy(victim), "after a restart");
        TestCluster.await("the coordinator publishes the rollback again at its start",
                () -> rollbacks.containsKey(victim.key()));

        // node-3 comes back, takes the rollback and its own receipt is journaled
        cluster.node(3).behave(StandInNode.Behaviour.HONEST);
        rollbacks.set(victim.key(), rollbacks.get(victim.key()));
        TestCluster.await("node-3's real receipt is journaled",
                () -> receiptedBy(victim).equals(List.of("node-1", "node-2", "node-3")));
        Response audit = cluster.get("/v1/audit/verify");
        assertEquals(200, audit.status(), audit.body());
        assertTrue(audit.json().getBoolean("ok"), audit.body());
    }

    /**
     * Creates a key of {@code custodians} whose ceremony is rolled back because node
     * {@code silent} never imports (and, for node-3, is down from then on), and returns the
     * coordinator's signed rollback as any member reads it.
     */
    private RollbackMessage rollBack(String name, int silent, List<String> custodians) throws Exception {
        cluster.node(silent).behave(silent == 3 ? StandInNode.Behaviour.DOWN : StandInNode.Behaviour.IGNORE_IMPORTS);
        Response r = cluster.post("/v1/keys", new JsonObject().put("name", name).put("algorithm", "AES-256")
                .put("threshold", 2).put("custodians", new JsonArray(custodians)), TestCluster.ALICE);
        assertEquals(503, r.status(), r.body());
        if (silent != 3) {
            cluster.node(silent).behave(StandInNode.Behaviour.HONEST);
        }
        IMap<String, byte[]> rollbacks = rogue.getMap(ClusterMaps.ROLLBACKS);
        TestCluster.await("the rollback of " + name + " is published", () -> rollbacks.containsKey(name + "/1"));
        return RollbackMessage.decode(rollbacks.get(name + "/1"));
    }

    /** The copied receipt with every field that names a rollback changed to name {@code victim}. */
    private static byte[] readdressed(byte[] copied, RollbackMessage victim) throws Exception {
        Map<String, Object> fields = new TreeMap<>(CanonicalJsonParser.parseObject(copied));
        if (fields.containsKey("requestId")) {
            fields.put("requestId", victim.rollbackId());
        }
        if (fields.containsKey("rollbackId")) {
            fields.put("rollbackId", victim.rollbackId());
        }
        if (fields.containsKey("keyId")) {
            fields.put("keyId", victim.keyId());
            fields.put("version", (long) victim.version());
            fields.put("manifestDigest", victim.manifestDigest());
        }
        return CanonicalJson.toBytes(fields);
    }

    private List<String> receiptedBy(RollbackMessage rollback) throws Exception {
        return rollbackReceipts().stream().filter(r -> r.getString("keyId").equals(rollback.keyId())
                && r.getInteger("version") == rollback.version()).map(r -> r.getString("nodeId")).sorted().toList();
    }

    private List<JsonObject> rollbackReceipts() throws Exception {
        Response signatures = cluster.get("/v1/audit/signatures");
        assertEquals(200, signatures.status(), signatures.body());
        return signatures.json().getJsonArray("rollbackReceipts").stream().map(JsonObject.class::cast).toList();
    }
}
