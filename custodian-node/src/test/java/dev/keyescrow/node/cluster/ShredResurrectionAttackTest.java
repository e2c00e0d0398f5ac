package dev.keyescrow.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: a rogue cluster member records the coordinator-signed import messages of a
 * ceremony and re-publishes them later. The nodes must not import a shredded share again
 * (it would be wrapped under their current epoch KEK and outlive the DESTROY): they keep a
 * tombstone of every shredded version and refuse its imports. And an import is good only
 * during its ceremony: after the deadline it carries, it is refused whatever it holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShredResurrectionAttackTest {
    @TempDir
    static Path state;

    private final MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
    private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    private RogueCoordinator rogue;

    @BeforeAll
    void start() throws Exception {
        rogue = new RogueCoordinator(state, clock, refusals);
    }

    @AfterAll
    void stop() throws Exception {
        rogue.close();
    }

    @Test
    void importsReplayedAfterDestroy_areRefused() throws Exception {
        rogue.importDeadline = clock.instant().plus(ImportMessage.WINDOW);
        Map<String, byte[]> recorded = new LinkedHashMap<>();
        Manifest v1 = rogue.pinnedKey("resurrected", List.of("custodian-1", "custodian-2", "custodian-3"), recorded);
        CanonicalRequest destroy = rogue.request("req-destroy-resurrected", v1, Operation.DESTROY,
                new RequestParams.None(), clock.instant());
        rogue.approveByAll(destroy, v1);
        RogueCoordinator.await("v1 shredded on both nodes", () -> rogue.nodeA.service.shred(destroy.requestId())
                .isPresent() && rogue.nodeB.service.shred(destroy.requestId()).isPresent());
        assertTrue(rogue.nodeA.service.heldShares().isEmpty());

        IMap<String, byte[]> imports = rogue.member.getMap(ClusterMaps.IMPORTS);
        IMap<String, byte[]> receipts = rogue.member.getMap(ClusterMaps.RECEIPTS);
        receipts.clear();
        refusals.clear();
        for (var e : recorded.entrySet()) {
            imports.delete(e.getKey());
            imports.set(e.getKey(), e.getValue());
        }
        RogueCoordinator.await("every replayed import refused or taken", () -> refusals.stream()
                .filter(r -> r.contains("resurrected v1 were shredded")).count() + receipts.size() >= recorded.size());

        for (NodeHarness node : List.of(rogue.nodeA, rogue.nodeB)) {
            assertFalse(node.service.heldShares().stream().anyMatch(s -> s.startsWith("resurrected/1/")),
                    node.nodeId + " imported a shredded share again: " + node.service.heldShares());
        }
        assertEquals(0, receipts.size(), "no import receipt for a shredded share");
    }

    @Test
    void anImportReplayedAfterItsCeremonysDeadline_isRefused() throws Exception {
        rogue.importDeadline = clock.instant().plus(ImportMessage.WINDOW);
        Manifest v1 = rogue.manifest("late-import", 1, List.of("custodian-1", "custodian-2", "custodian-3"), Map.of());
        Map<String, byte[]> recorded = rogue.signedImports(v1);
        clock.advance(ImportMessage.WINDOW.plusSeconds(1));
        refusals.clear();
        IMap<String, byte[]> imports = rogue.member.getMap(ClusterMaps.IMPORTS);
        IMap<String, byte[]> receipts = rogue.member.getMap(ClusterMaps.RECEIPTS);
        recorded.forEach(imports::set);
        RogueCoordinator.await("every late import refused or taken", () -> refusals.stream()
                .filter(r -> r.contains("its ceremony is over")).count() + receipts.keySet().stream()
                .filter(k -> k.startsWith("late-import/")).count() >= recorded.size());
        assertTrue(rogue.nodeA.service.heldShares().stream().noneMatch(s -> s.startsWith("late-import/")));
        assertTrue(rogue.nodeB.service.heldShares().stream().noneMatch(s -> s.startsWith("late-import/")));
    }
}
