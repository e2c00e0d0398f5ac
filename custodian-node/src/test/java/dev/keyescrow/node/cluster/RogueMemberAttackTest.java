package dev.keyescrow.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeRefusedException;
import dev.keyescrow.server.cluster.ClusterLimits;
import dev.keyescrow.server.cluster.ClusterSettings;
import dev.keyescrow.server.cluster.HazelcastMembers;
import java.io.ObjectInputFilter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rogue cluster member (threat model A3): a plain Hazelcast member, configured as the
 * attacker likes (no deserialization filter, a lite member so that everything it writes is
 * stored by the honest members), joins the real cluster of two custodian nodes and the
 * test's coordinator member with the cluster name and addresses it learned. It puts
 * serialized Java objects into the project's maps, then floods 100,000 garbage entries into
 * every map. The nodes must deserialize nothing but their own {@code byte[]} messages, stay
 * up, hold bounded memory, and still release for a genuine request with t approvals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RogueMemberAttackTest {
    /** Every class any ObjectInputStream in this JVM resolved after the fixture started. */
    private static final Set<String> RESOLVED = ConcurrentHashMap.newKeySet();

    private static final long MAP_CAP_BYTES = (long) ClusterLimits.MAP_HEAP_MIB << 20;
    private static final long MANIFEST_MAP_CAP_BYTES = (long) ClusterLimits.MANIFEST_MAP_HEAP_MIB << 20;
    private static final int FLOOD_ENTRIES = 100_000;
    private static final int OVERSIZE_BYTES = 300 * 1024;

    private static final List<String> ALL_MAPS = List.of(ClusterMaps.MANIFESTS, ClusterMaps.REQUESTS,
            ClusterMaps.ANSWERS, ClusterMaps.IMPORTS, ClusterMaps.RECEIPTS, ClusterMaps.RELEASES,
            ClusterMaps.SHREDS, ClusterMaps.HEADS, ClusterMaps.CANCELS, ClusterMaps.FROST_CALLS,
            ClusterMaps.FROST_COMMITMENTS, ClusterMaps.FROST_SHARES);

    @TempDir
    static Path state;

    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
    private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    private Ceremony ceremony;
    private HazelcastInstance coordinator;
    private HazelcastInstance rogue;
    private NodeHarness nodeA;
    private NodeHarness nodeB;
    private String clusterName;
    private List<String> memberAddresses;
    private int basePort;

    @BeforeAll
    void start() throws Exception {
        // observes, never refuses: a record of every class the JVM's object streams resolve
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            ObjectInputFilter.Config.setSerialFilter(info -> {
                if (info.serialClass() != null) {
                    RESOLVED.add(info.serialClass().getName());
                }
                return ObjectInputFilter.Status.UNDECIDED;
            });
        }
        ceremony = new Ceremony(random, "payments-key");
        String cluster = "rogue-test-" + UUID.randomUUID();
        int base = 13701 + random.nextInt(2000);
        List<String> members = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2));
        clusterName = cluster;
        memberAddresses = members;
        basePort = base;
        coordinator = HazelcastMembers.start(new ClusterSettings(cluster, "127.0.0.1", base, members));
        nodeA = new NodeHarness("node-a", state.resolve("a"), ceremony.coordinator.publicKey(),
                new ClusterSettings(cluster, "127.0.0.1", base + 1, members), clock, refusals);
        nodeB = new NodeHarness("node-b", state.resolve("b"), ceremony.coordinator.publicKey(),
                new ClusterSettings(cluster, "127.0.0.1", base + 2, members), clock, refusals);
        for (int index = 1; index <= 3; index++) {
            NodeHarness node = index <= 2 ? nodeA : nodeB;
            byte[] value = new byte[32];
            random.nextBytes(value);
            try (SecretBytes share = SecretBytes.moveFrom(value)) {
                byte[] envelope = ShareSender.wrapForImport(node.token.transportPublicKey(),
                        new ShareRef("payments-key", 1, index, 32), share, random);
                ImportMessage unsigned = new ImportMessage(node.nodeId, "payments-key", 1, index, 32,
                        clock.instant().plus(ImportMessage.WINDOW), envelope, new byte[64]);
                ImportMessage signed = new ImportMessage(node.nodeId, "payments-key", 1, index, 32,
                        unsigned.deadline(), envelope, CoordinatorStatement.sign(ceremony.coordinator, Kind.IMPORT, unsigned.digest()));
                coordinator.<String, byte[]>getMap(ClusterMaps.IMPORTS).set(signed.key(), signed.encode());
            }
        }
        IMap<String, byte[]> receipts = coordinator.getMap(ClusterMaps.RECEIPTS);
        await(() -> receipts.size() == 3);
        Map<String, byte[]> countersignatures = new TreeMap<>();
        for (int c = 1; c <= 5; c++) {
            countersignatures.put("custodian-" + c, ceremony.countersignature(c).signature());
        }
        NodeEvent.ManifestAdmitted manifest = ceremony.manifestEvent();
        coordinator.<String, byte[]>getMap(ClusterMaps.MANIFESTS).set("payments-key/1",
                new ManifestMessage(manifest.canonical(), manifest.coordinatorSignature(), countersignatures).encode());
        await(() -> nodeA.service.isPinned("payments-key", 1) && nodeB.service.isPinned("payments-key", 1));
        rogue = Hazelcast.newHazelcastInstance(rogueConfig(cluster, base + 3, members));
        await(() -> coordinator.getCluster().getMembers().size() == 4);
    }

    /** The attacker's own member: whatever serialization it likes, owning no partitions. */
    private static Config rogueConfig(String cluster, int port, List<String> members) {
        Config config = new Config();
        config.setClusterName(cluster);
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

    @AfterAll
    void stop() throws Exception {
        if (rogue != null) {
            rogue.shutdown();
        }
        nodeA.close();
        nodeB.close();
        coordinator.shutdown();
    }

    private void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 60 s; last refusals: "
                        + refusals.stream().skip(Math.max(0, refusals.size() - 5)).toList());
            }
            Thread.sleep(20);
        }
    }

    @Test
    @Order(1)
    void serializedObjectsFromARogueMemberAreNeverDeserializedInANode() throws Exception {
        RESOLVED.clear();
        RogueGadget gadget = new RogueGadget();
        gadget.put("run", "anything");
        // the head of the classic gadget chains: a queue whose comparator is deserialized and then called
        PriorityQueue<String> queue = new PriorityQueue<>(Collections.reverseOrder());
        queue.addAll(List.of("b", "a"));
        for (String name : ALL_MAPS) {
            IMap<Object, Object> map = rogue.getMap(name);
            map.set("gadget-" + name, gadget);
            map.set("queue-" + name, queue);
            map.set(new ArrayList<>(List.of("a non-string key")), gadget);
        }
        // the nodes have seen every one of those events once a message put after them is handled
        CanonicalRequest marker = ceremony.useRequest("req-after-gadgets");
        publishRequest(marker);
        nodeA.bridge.drain();
        nodeB.bridge.drain();

        assertEquals(0, RogueGadget.DESERIALIZED.get(), "a gadget's readObject ran in this JVM");
        assertTrue(RESOLVED.stream().noneMatch(c -> c.startsWith("java.util.Collections$ReverseComparator")
                        || c.equals(RogueGadget.class.getName())),
                "a node deserialized a rogue member's object: " + RESOLVED);
        assertTrue(nodeA.member.getLifecycleService().isRunning() && nodeB.member.getLifecycleService().isRunning());
        approveAndAwaitReleases(marker);
    }

    @Test
    @Order(2)
    void aFloodOfAHundredThousandGarbageEntriesLeavesTheNodesUpBoundedAndTheQuorumWorking() throws Exception {
        long heapBefore = usedHeapAfterGc();
        long refusedBefore = nodeA.bridge.refusedCount() + nodeB.bridge.refusedCount();
        byte[] forgedRequest = forgedRequest();
        byte[] forgedAnswer = forgedAnswer();
        long floodStart = System.nanoTime();
        Map<String, Map<Object, Object>> batches = new HashMap<>();
        for (int i = 0; i < FLOOD_ENTRIES; i++) {
            String name = ALL_MAPS.get(i % ALL_MAPS.size());
            Object key = i % 97 == 0 ? (Object) Integer.valueOf(i) : "junk-" + UUID.randomUUID();
            Object value;
            if (i % 1000 == 1) {
                name = ClusterMaps.REQUESTS;
                value = junk(OVERSIZE_BYTES);
            } else if (i % 50 == 2) {
                value = "a string, not bytes " + i;
            } else if (i % 50 == 3) {
                value = Map.of("format", "keyescrow-answer-v1", "i", i);
            } else if (i % 20 == 4) {
                value = forgedRequest;
            } else if (i % 20 == 5) {
                value = forgedAnswer;
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
        long floodMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - floodStart);
        nodeA.bridge.drain();
        nodeB.bridge.drain();
        long heapAfter = usedHeapAfterGc();

        assertTrue(nodeA.member.getLifecycleService().isRunning() && nodeB.member.getLifecycleService().isRunning()
                && coordinator.getLifecycleService().isRunning(), "every honest member is up");
        Map<String, Long> heaviest = new TreeMap<>();
        for (HazelcastInstance member : List.of(coordinator, nodeA.member, nodeB.member)) {
            for (String name : ALL_MAPS) {
                long owned = member.getMap(name).getLocalMapStats().getOwnedEntryMemoryCost();
                heaviest.merge(name, owned, Math::max);
            }
        }
        for (var entry : heaviest.entrySet()) {
            long cap = entry.getKey().equals(ClusterMaps.MANIFESTS) ? MANIFEST_MAP_CAP_BYTES : MAP_CAP_BYTES;
            // eviction samples, so a map may overshoot its cap by a few entries before one goes
            assertTrue(entry.getValue() <= cap + 2L * OVERSIZE_BYTES,
                    entry.getKey() + " holds " + entry.getValue() + " bytes on one member, over its cap of " + cap);
        }

        for (NodeHarness node : List.of(nodeA, nodeB)) {
            assertTrue(node.bridge.queuedBytesHighWater() <= ClusterLimits.MAX_QUEUED_BYTES,
                    node.nodeId + " queued " + node.bridge.queuedBytesHighWater() + " bytes of received messages");
        }

        long quorumStart = System.nanoTime();
        CanonicalRequest request = ceremony.useRequest("req-after-flood");
        publishRequest(request);
        approveAndAwaitReleases(request);
        long quorumMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quorumStart);
        System.out.printf("rogue flood: %d entries in %d ms; used heap after GC %d MiB before, %d MiB after;"
                        + " heaviest map per member %s; refused %d, dropped %d, queue high water %d bytes;"
                        + " quorum afterwards in %d ms%n",
                FLOOD_ENTRIES, floodMillis, heapBefore >> 20, heapAfter >> 20, heaviest,
                nodeA.bridge.refusedCount() + nodeB.bridge.refusedCount() - refusedBefore,
                nodeA.bridge.droppedCount() + nodeB.bridge.droppedCount(),
                Math.max(nodeA.bridge.queuedBytesHighWater(), nodeB.bridge.queuedBytesHighWater()), quorumMillis);
    }

    /**
     * Forged requests cost each node a signature verification, so they can arrive faster
     * than a node handles them; a genuine request published in the middle must still count
     * (handled at once, or dropped by the full queue and read again from the map).
     */
    @Test
    @Order(3)
    void aGenuineRequestPublishedDuringAFloodOfForgedRequestsStillCounts() throws Exception {
        long droppedBefore = nodeA.bridge.droppedCount() + nodeB.bridge.droppedCount();
        byte[] forged = forgedRequest();
        IMap<Object, Object> requests = rogue.getMap(ClusterMaps.REQUESTS);
        CanonicalRequest request = ceremony.useRequest("req-during-flood");
        for (int batch = 0; batch < 10; batch++) {
            Map<Object, Object> entries = new HashMap<>();
            for (int i = 0; i < 500; i++) {
                entries.put("forged-" + batch + "-" + i, forged);
            }
            requests.putAll(entries);
            if (batch == 5) {
                byte[] signature = CoordinatorStatement.sign(ceremony.coordinator, Kind.REQUEST, request.digest());
                coordinator.<String, byte[]>getMap(ClusterMaps.REQUESTS).set(request.requestId(),
                        new SignedRequestMessage(new String(request.canonicalJson(), StandardCharsets.UTF_8),
                                signature).encode());
            }
        }
        await(() -> hasRequest(nodeA, request.requestId()) && hasRequest(nodeB, request.requestId()));
        approveAndAwaitReleases(request);
        System.out.printf("forged-request flood: 5000 entries; received messages dropped by full queues %d%n",
                nodeA.bridge.droppedCount() + nodeB.bridge.droppedCount() - droppedBefore);
    }

    /**
     * A node that starts while the maps hold the rogue member's gadgets and garbage reads
     * them a page at a time, deserializes none of them, and catches up with the genuine
     * manifest among them.
     */
    @Test
    @Order(4)
    void aNodeThatStartsAfterTheFloodCatchesUpFromTheMapsWithoutDeserializingTheGarbage() throws Exception {
        RESOLVED.clear();
        IMap<Object, Object> manifests = rogue.getMap(ClusterMaps.MANIFESTS);
        PriorityQueue<String> queue = new PriorityQueue<>(Collections.reverseOrder());
        queue.add("a");
        manifests.set("queue-again", queue);
        manifests.set("gadget-again", new RogueGadget());
        ConcurrentLinkedQueue<String> lateRefusals = new ConcurrentLinkedQueue<>();
        try (NodeHarness late = new NodeHarness("node-c", state.resolve("c"), ceremony.coordinator.publicKey(),
                new ClusterSettings(clusterName, "127.0.0.1", basePort + 4, memberAddresses), clock, lateRefusals)) {
            // manifests are read first; the request maps may have evicted genuine entries under the flood
            try {
                await(() -> late.service.isPinned("payments-key", 1) && late.bridge.refusedCount() > 0);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; manifest in the map: "
                        + coordinator.getMap(ClusterMaps.MANIFESTS).containsKey("payments-key/1") + "; refused "
                        + late.bridge.refusedCount() + "; lines: " + lateRefusals.stream().filter(r -> !r.contains(
                        "refused unread")).limit(30).toList(), e);
            }
        }
        assertEquals(0, RogueGadget.DESERIALIZED.get(), "a gadget's readObject ran in this JVM");
        assertTrue(RESOLVED.stream().noneMatch(c -> c.startsWith("java.util.Collections$ReverseComparator")
                || c.equals(RogueGadget.class.getName())), "the late node deserialized: " + RESOLVED);
    }

    // ---------------------------------------------------------------- helpers

    private byte[] junk(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A well-formed request signed by a key that is not the coordinator's: verification work for nothing. */
    private byte[] forgedRequest() throws Exception {
        CanonicalRequest sneaky = ceremony.useRequest("req-forged");
        SoftwareP256Signer impostor = SoftwareP256Signer.generate(random);
        return new SignedRequestMessage(new String(sneaky.canonicalJson(), StandardCharsets.UTF_8),
                CoordinatorStatement.sign(impostor, Kind.REQUEST, sneaky.digest())).encode();
    }

    /** A well-formed answer for a request no node has. */
    private byte[] forgedAnswer() throws Exception {
        CanonicalRequest unknown = ceremony.useRequest("req-unknown");
        return new AnswerMessage("node-d", ceremony.answer(unknown, 4, Decision.APPROVE)).encode();
    }

    private void publishRequest(CanonicalRequest request) throws Exception {
        byte[] signature = CoordinatorStatement.sign(ceremony.coordinator, Kind.REQUEST, request.digest());
        coordinator.<String, byte[]>getMap(ClusterMaps.REQUESTS).set(request.requestId(),
                new SignedRequestMessage(new String(request.canonicalJson(), StandardCharsets.UTF_8), signature)
                        .encode());
        await(() -> hasRequest(nodeA, request.requestId()) && hasRequest(nodeB, request.requestId()));
    }

    private void approveAndAwaitReleases(CanonicalRequest request) throws Exception {
        answerAt(nodeA, ceremony.answer(request, 1, Decision.APPROVE));
        answerAt(nodeA, ceremony.answer(request, 2, Decision.APPROVE));
        answerAt(nodeB, ceremony.answer(request, 3, Decision.APPROVE));
        IMap<String, byte[]> releases = coordinator.getMap(ClusterMaps.RELEASES);
        await(() -> releases.containsKey(request.requestId() + "/1") && releases.containsKey(request.requestId() + "/2")
                && releases.containsKey(request.requestId() + "/3"));
        assertEquals(3, nodeB.service.view(request.requestId()).approvers().size());
    }

    private static void answerAt(NodeHarness node, Approval approval) throws Exception {
        node.service.answer(approval);
        node.bridge.publish(new AnswerMessage(node.nodeId, approval));
    }

    private static boolean hasRequest(NodeHarness node, String requestId) {
        try {
            node.service.view(requestId);
            return true;
        } catch (NodeRefusedException e) {
            return false;
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
