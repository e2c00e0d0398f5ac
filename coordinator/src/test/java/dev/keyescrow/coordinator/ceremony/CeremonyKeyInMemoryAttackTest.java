package dev.keyescrow.coordinator.ceremony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import dev.keyescrow.coordinator.cluster.CoordinatorClusterBridge;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.server.cluster.ClusterSettings;
import dev.keyescrow.server.cluster.HazelcastMembers;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding: REFRESH, RESHARE and import hand the reconstructed key to the ceremony, which
 * kept it in memory while the imports sat on the network and the coordinator waited for
 * every node's receipt (up to the ceremony timeout): a memory disclosure during that wait
 * (heap dump, core file, swap) yielded the whole key rather than nothing.
 *
 * <p>Attack, through the ceremony's public entry points on a real Hazelcast cluster: a second
 * member plays the nodes, which never answer; it watches the imports map and, at the moment
 * the last share's import is visible on the network, looks at the key the caller handed in.
 * It must already be zeroed, while the ceremony is still waiting for receipts; and zeroed
 * still after the wait timed out and the ceremony was rolled back.
 */
class CeremonyKeyInMemoryAttackTest {
    private static final int NODES = 3;

    private final SecureRandom random = new SecureRandom();
    private final List<String> problems = new ArrayList<>();
    private final List<Custodian> custodians = new ArrayList<>();
    private HazelcastInstance coordinatorMember;
    private HazelcastInstance silentNodes;
    private CoordinatorService service;
    private KeyCeremony ceremony;
    private SecretBytes reconstructed;

    @BeforeEach
    void cluster(@TempDir Path dir) throws Exception {
        String clusterName = "ceremony-attack-" + UUID.randomUUID();
        int base = 19701 + random.nextInt(2000);
        List<String> members = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1));
        coordinatorMember = HazelcastMembers.start(new ClusterSettings(clusterName, "127.0.0.1", base, members));
        silentNodes = HazelcastMembers.start(new ClusterSettings(clusterName, "127.0.0.1", base + 1, members));
        SoftwareP256Signer coordinator = SoftwareP256Signer.generate(random);
        List<EnrolledNode> enrolled = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            try (EphemeralKey transport = EphemeralKey.generate(random)) {
                enrolled.add(EnrolledNode.of("node-" + i, "http://127.0.0.1:0/node-" + i,
                        SoftwareP256Signer.generate(random).publicKey(), transport.publicKey()));
            }
        }
        service = CoordinatorService.open(dir, coordinator, new NodeRegistry(enrolled), Clock.systemUTC());
        for (int i = 1; i <= NODES; i++) {
            byte[] custodianKey;
            try (SecretBytes key = Ed25519.generatePrivateKey(random)) {
                custodianKey = Ed25519.publicKeyOf(key);
            }
            service.submit(new CoordinatorEvent.CustodianRegistered("custodian-" + i, custodianKey, "node-" + i));
            custodians.add(service.custodian("custodian-" + i).orElseThrow());
        }
        CoordinatorClusterBridge bridge = new CoordinatorClusterBridge(coordinatorMember, problems::add);
        ceremony = new KeyCeremony(service, new NodeRegistry(enrolled), coordinator, bridge, random,
                Duration.ofSeconds(15), problems::add);
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        reconstructed = SecretBytes.moveFrom(raw);
    }

    @AfterEach
    void close() throws Exception {
        reconstructed.destroy();
        service.close();
        silentNodes.shutdown();
        coordinatorMember.shutdown();
    }

    @Test
    void theHandedOverKeyIsZeroedWhileTheSharesAreOnTheNetwork() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CompletableFuture<Boolean> zeroedWhenAllImportsWereOut = new CompletableFuture<>();
        IMap<String, byte[]> imports = silentNodes.getMap(ClusterMaps.IMPORTS);
        imports.addEntryListener((EntryAddedListener<String, byte[]>) (EntryEvent<String, byte[]> e) -> {
            if (e.getKey().startsWith("victim/1/") && seen.add(e.getKey()) && seen.size() == NODES) {
                zeroedWhenAllImportsWereOut.complete(reconstructed.isDestroyed());
            }
        }, false);

        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                outcome.complete(ceremony.create("victim", KeyAlgorithm.AES_256, 2, custodians, reconstructed));
            } catch (Exception e) {
                outcome.complete(e);
            }
        }, "refresh-caller");
        caller.start();
        // hang guards, not timing assertions: the nodes never answer, so whenever the last
        // import shows up, the ceremony is in its receipt wait, which ends in a rollback
        boolean zeroed = zeroedWhenAllImportsWereOut.get(5, TimeUnit.MINUTES);
        Object result = outcome.get(5, TimeUnit.MINUTES);
        assertTrue(zeroed, "the reconstructed key was still in memory while its shares were on the network");
        assertInstanceOf(RefusedException.class, result, String.valueOf(result));
        assertTrue(reconstructed.isDestroyed(), "zeroed on the rollback path too");
        assertEquals(List.of(), imports.keySet().stream().filter(k -> k.startsWith("victim/")).toList(),
                "the rolled-back ceremony withdrew its imports");
    }

    /**
     * A ceremony whose thread is interrupted in its receipt wait (a shutdown) rolls back in the
     * journal, and the journal stays writable: its file channel is interruptible, so writing on
     * a thread whose interrupt flag is set would close it for every later change.
     */
    @Test
    void anInterruptedCeremonyRollsBackAndLeavesTheJournalWritable() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CompletableFuture<Void> allImportsOut = new CompletableFuture<>();
        silentNodes.<String, byte[]>getMap(ClusterMaps.IMPORTS).addEntryListener(
                (EntryAddedListener<String, byte[]>) (EntryEvent<String, byte[]> e) -> {
                    if (e.getKey().startsWith("interrupted/1/") && seen.add(e.getKey()) && seen.size() == NODES) {
                        allImportsOut.complete(null);
                    }
                }, false);
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                outcome.complete(ceremony.create("interrupted", KeyAlgorithm.AES_256, 2, custodians, reconstructed));
            } catch (Exception e) {
                outcome.complete(e);
            }
        }, "interrupted-caller");
        caller.start();
        allImportsOut.get(5, TimeUnit.MINUTES);
        caller.interrupt();

        assertInstanceOf(RefusedException.class, outcome.get(5, TimeUnit.MINUTES));
        byte[] newcomer;
        try (SecretBytes key = Ed25519.generatePrivateKey(random)) {
            newcomer = Ed25519.publicKeyOf(key);
        }
        service.submit(new CoordinatorEvent.CustodianRegistered("custodian-late", newcomer, "node-1"));
        assertTrue(service.custodian("custodian-late").isPresent(), "the journal still takes changes");
    }

    @Test
    void aStagedCeremonyWaitingForItsTurnHoldsNoKey() throws Exception {
        StagedCeremony staged = ceremony.stage("queued", KeyAlgorithm.AES_256, 2, custodians, reconstructed);

        assertTrue(reconstructed.isDestroyed(), "the key is zeroed once split, before the ceremony waits its turn");
        assertEquals(NODES, staged.manifest().shareCount());
        assertEquals(List.of(), silentNodes.getMap(ClusterMaps.IMPORTS).keySet().stream().toList(),
                "staging publishes nothing");
    }

    @Test
    void aKeyHandedToARefusedCeremonyIsZeroedToo() {
        List<Custodian> unknownNode = List.of(custodians.get(0), custodians.get(1),
                new Custodian("custodian-x", custodians.get(2).publicKey(), "node-unknown", custodians.get(2)
                        .registeredAt()));

        assertInstanceOf(RefusedException.class, org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> ceremony.create("refused", KeyAlgorithm.AES_256, 2, unknownNode, reconstructed)));
        assertTrue(reconstructed.isDestroyed());
    }
}
