package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.wire.ClusterMaps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ObjectInputFilter;
import java.io.Serial;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rogue cluster member (threat model A3) against the coordinator: a plain Hazelcast lite
 * member with no deserialization filter joins the real cluster (the coordinator's member and
 * the stand-in nodes' member), puts serialized Java objects into the maps only the
 * coordinator reads (receipts, releases, shreds, heads), then floods 100,000 garbage entries
 * into every map the coordinator listens to. The coordinator must deserialize none of it,
 * stay up with bounded maps, and still complete a genuine request with t approvals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RogueMemberCoordinatorAttackTest {
    private static final Set<String> RESOLVED = ConcurrentHashMap.newKeySet();
    private static final long MAP_CAP_BYTES = (long) dev.keyescrow.server.cluster.ClusterLimits.MAP_HEAP_MIB << 20;
    private static final int FLOOD_ENTRIES = 100_000;
    private static final int OVERSIZE_BYTES = 300 * 1024;
    private static final List<String> COORDINATOR_ONLY = List.of(ClusterMaps.RECEIPTS, ClusterMaps.RELEASES,
            ClusterMaps.SHREDS, ClusterMaps.ROLLBACK_RECEIPTS, ClusterMaps.HEADS);
    private static final List<String> COORDINATOR_LISTENS = List.of(ClusterMaps.RECEIPTS, ClusterMaps.ANSWERS,
            ClusterMaps.RELEASES, ClusterMaps.SHREDS, ClusterMaps.ROLLBACK_RECEIPTS, ClusterMaps.HEADS,
            ClusterMaps.FROST_COMMITMENTS, ClusterMaps.FROST_SHARES);

    @TempDir
    static Path dir;

    private final SecureRandom random = new SecureRandom();
    private TestCluster cluster;
    private HazelcastInstance rogue;

    /** A serializable object whose readObject shows it ran. */
    static final class Gadget implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        static final AtomicInteger DESERIALIZED = new AtomicInteger();

        @Serial
        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.incrementAndGet();
        }
    }

    @BeforeAll
    void start() throws Exception {
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            ObjectInputFilter.Config.setSerialFilter(info -> {
                if (info.serialClass() != null) {
                    RESOLVED.add(info.serialClass().getName());
                }
                return ObjectInputFilter.Status.UNDECIDED;
            });
        }
        cluster = new TestCluster(dir, 3);
        cluster.registerCustodians();
        JsonArray custodians = new JsonArray().add("custodian-1").add("custodian-2").add("custodian-3");
        Response created = cluster.post("/v1/keys", new JsonObject().put("name", "rogue-key").put("algorithm",
                "AES-256").put("threshold", 2).put("custodians", custodians), TestCluster.ALICE);
        assertEquals(201, created.status(), created.body());
        Response manifest = cluster.get("/v1/keys/rogue-key/versions/1/manifest");
        dev.keyescrow.core.integrity.Manifest parsed = dev.keyescrow.core.integrity.Manifest.parse(
                manifest.json().getString("canonical").getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= 3; i++) {
            byte[] signature = dev.keyescrow.core.signature.Ed25519.sign(cluster.custodianKey(i),
                    parsed.countersignatureStatement("custodian-" + i));
            Response r = cluster.post("/v1/keys/rogue-key/versions/1/countersignatures", new JsonObject()
                    .put("custodianId", "custodian-" + i)
                    .put("signature", java.util.Base64.getEncoder().encodeToString(signature)), null);
            assertEquals(201, r.status(), r.body());
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

    @AfterAll
    void stop() throws Exception {
        if (rogue != null) {
            rogue.shutdown();
        }
        cluster.close();
    }

    @Test
    @Order(1)
    void serializedObjectsFromARogueMemberAreNeverDeserializedInTheCoordinator() throws Exception {
        RESOLVED.clear();
        PriorityQueue<String> queue = new PriorityQueue<>(Collections.reverseOrder());
        queue.addAll(List.of("b", "a"));
        for (String name : COORDINATOR_ONLY) {
            IMap<Object, Object> map = rogue.getMap(name);
            map.set("queue-" + name, queue);
            map.set("gadget-" + name, new Gadget());
        }
        // a genuine request completing shows the coordinator handled what came before it
        String id = useRequestApprovedBy(1, 2);
        assertEquals("ACTIVE", view(id).getString("state"));
        assertEquals(0, Gadget.DESERIALIZED.get(), "a gadget's readObject ran in this JVM");
        assertTrue(RESOLVED.stream().noneMatch(c -> c.startsWith("java.util.Collections$ReverseComparator")
                || c.equals(Gadget.class.getName())), "the coordinator deserialized a rogue member's object: " + RESOLVED);
    }

    @Test
    @Order(2)
    void aFloodOfAHundredThousandGarbageEntriesLeavesTheCoordinatorUpBoundedAndTheQuorumWorking()
            throws Exception {
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        Map<String, Map<Object, Object>> batches = new HashMap<>();
        for (int i = 0; i < FLOOD_ENTRIES; i++) {
            String name = COORDINATOR_LISTENS.get(i % COORDINATOR_LISTENS.size());
            Object key = i % 97 == 0 ? (Object) Integer.valueOf(i) : "junk-" + UUID.randomUUID();
            Object value;
            if (i % 1000 == 1) {
                name = ClusterMaps.RELEASES;
                value = junk(OVERSIZE_BYTES);
            } else if (i % 50 == 2) {
                value = "a string, not bytes " + i;
            } else if (i % 50 == 3) {
                value = Map.of("format", "keyescrow-release-message-v1", "i", i);
            } else if (i % 10 == 4) {
                value = ("{\"format\":\"keyescrow-release-message-v1\",\"requestId\":\"" + i + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                value = junk(32 + random.nextInt(1024));
            }
            Map<Object, Object> batch = batches.computeIfAbsent(name, n -> new HashMap<>());
            batch.put(key, value);
            if (batch.size() == 500) {
                rogue.getMap(name).putAll(batch);
                batch.clear();
            }
        }
        batches.forEach((name, batch) -> rogue.getMap(name).putAll(batch));
        long floodMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(200, cluster.get("/v1/health").status(), "the coordinator answers");
        Map<String, Long> owned = new TreeMap<>();
        for (String name : COORDINATOR_LISTENS) {
            owned.put(name, cluster.nodeMember.getMap(name).getLocalMapStats().getOwnedEntryMemoryCost());
        }
        for (var entry : owned.entrySet()) {
            assertTrue(entry.getValue() <= MAP_CAP_BYTES + 2L * OVERSIZE_BYTES,
                    entry.getKey() + " holds " + entry.getValue() + " bytes on one member, over its cap");
        }

        long quorumStart = System.nanoTime();
        String id = useRequestApprovedBy(2, 3);
        long quorumMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quorumStart);
        assertEquals("ACTIVE", view(id).getString("state"));
        long heapAfter = usedHeapAfterGc();
        System.out.printf("rogue flood against the coordinator: %d entries in %d ms; used heap after GC %d MiB"
                        + " before, %d MiB after; owned per map on the honest member %s; quorum afterwards in %d ms%n",
                FLOOD_ENTRIES, floodMillis, heapBefore >> 20, heapAfter >> 20, owned, quorumMillis);
    }

    // ---------------------------------------------------------------- helpers

    private String useRequestApprovedBy(int... custodians) throws Exception {
        Response r = cluster.post("/v1/keys/rogue-key/requests", new JsonObject().put("operation", "USE")
                .put("reason", "after a rogue member").put("params", new JsonObject().put("maxOperations", 1)
                        .put("sessionSeconds", 60)), TestCluster.ALICE);
        assertEquals(201, r.status(), r.body());
        String id = r.json().getString("requestId");
        CanonicalRequest request = CanonicalRequest.parse(view(id).getString("canonical")
                .getBytes(StandardCharsets.UTF_8));
        for (int i : custodians) {
            cluster.node(i).answer(Approval.sign(request, "custodian-" + i, Decision.APPROVE,
                    cluster.custodianKey(i)));
        }
        TestCluster.await(id + " ACTIVE", () -> "ACTIVE".equals(view(id).getString("state")));
        return id;
    }

    private JsonObject view(String requestId) throws Exception {
        Response r = cluster.get("/v1/requests/" + requestId);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private byte[] junk(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
