package dev.keyescrow.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.request.ReshareHolder;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: a compromised coordinator with one approved REFRESH or RESHARE pins a successor
 * version to custodian keys it controls, countersigns it itself, and waits for the honest
 * nodes to shred the old shares — capturing the quorum for ever. Nodes must shred only for
 * the successor the quorum approved: the same holders (id, key, node) for REFRESH, the
 * holders named in the approved RESHARE request, and never a known custodian id with
 * another key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuccessorCaptureAttackTest {
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

    private static final List<String> HONEST = List.of("custodian-1", "custodian-2", "custodian-3");

    @Test
    void refreshSuccessorWithTheAttackersCustodians_shredsNothing() throws Exception {
        Manifest v1 = rogue.pinnedKey("refresh-new-ids", HONEST);
        CanonicalRequest refresh = rogue.request("req-refresh-new-ids", v1, Operation.REFRESH,
                new RequestParams.None(), Ceremony.NOW);
        rogue.approveByAll(refresh, v1);

        Manifest captured = rogue.manifest(v1.keyId(), 2, List.of("evil-1", "evil-2", "evil-3"), Map.of());
        rogue.publishManifest(captured);
        RogueCoordinator.await("the nodes pinned the attacker's v2", () -> rogue.nodeA.service.isPinned(v1.keyId(), 2)
                && rogue.nodeB.service.isPinned(v1.keyId(), 2));

        assertSharesKept(v1, refresh);
    }

    @Test
    void refreshSuccessorThatGivesKnownIdsOtherKeys_isRefused_andShredsNothing() throws Exception {
        Manifest v1 = rogue.pinnedKey("refresh-same-ids", HONEST);
        CanonicalRequest refresh = rogue.request("req-refresh-same-ids", v1, Operation.REFRESH,
                new RequestParams.None(), Ceremony.NOW);
        rogue.approveByAll(refresh, v1);

        Map<String, byte[]> attackerKeys = Map.of(
                "custodian-1", Ed25519.publicKeyOf(rogue.custodian("attacker-1")),
                "custodian-2", Ed25519.publicKeyOf(rogue.custodian("attacker-2")),
                "custodian-3", Ed25519.publicKeyOf(rogue.custodian("attacker-3")));
        Manifest captured = rogue.manifest(v1.keyId(), 2, HONEST, attackerKeys);
        // countersigned with the attacker's keys: the ids are the honest ones
        publishCountersignedBy(captured, Map.of("custodian-1", "attacker-1", "custodian-2", "attacker-2",
                "custodian-3", "attacker-3"));

        RogueCoordinator.await("the nodes saw the attacker's v2", () -> refusals.stream()
                .anyMatch(r -> r.contains("refresh-same-ids")) || rogue.nodeA.service.isPinned(v1.keyId(), 2));
        assertFalse(rogue.nodeA.service.isPinned(v1.keyId(), 2), "a known custodian id with another key is refused");
        assertSharesKept(v1, refresh);
    }

    @Test
    void reshareSuccessorWithOtherKeysThanApproved_shredsNothing() throws Exception {
        Manifest v1 = rogue.pinnedKey("reshare-keys", HONEST);
        List<String> newIds = List.of("new-1", "new-2", "new-3");
        CanonicalRequest reshare = rogue.request("req-reshare-keys", v1, Operation.RESHARE,
                new RequestParams.Reshare(3, List.of(
                        new ReshareHolder("new-1", Ed25519.publicKeyOf(rogue.custodian("new-1")), "node-a"),
                        new ReshareHolder("new-2", Ed25519.publicKeyOf(rogue.custodian("new-2")), "node-a"),
                        new ReshareHolder("new-3", Ed25519.publicKeyOf(rogue.custodian("new-3")), "node-b"))),
                Ceremony.NOW);
        rogue.approveByAll(reshare, v1);

        // the approved new custodians never get their shares: the attacker's keys take their ids
        Map<String, byte[]> attackerKeys = Map.of(
                "new-1", Ed25519.publicKeyOf(rogue.custodian("attacker-4")),
                "new-2", Ed25519.publicKeyOf(rogue.custodian("attacker-5")),
                "new-3", Ed25519.publicKeyOf(rogue.custodian("attacker-6")));
        Manifest captured = rogue.manifest(v1.keyId(), 2, 3, newIds, attackerKeys);
        publishCountersignedBy(captured, Map.of("new-1", "attacker-4", "new-2", "attacker-5", "new-3", "attacker-6"));
        RogueCoordinator.await("the nodes pinned the attacker's v2", () -> rogue.nodeA.service.isPinned(v1.keyId(), 2)
                && rogue.nodeB.service.isPinned(v1.keyId(), 2));

        assertSharesKept(v1, reshare);
    }

    @Test
    void theApprovedRefreshSuccessor_isShredFor() throws Exception {
        Manifest v1 = rogue.pinnedKey("refresh-honest", HONEST);
        CanonicalRequest refresh = rogue.request("req-refresh-honest", v1, Operation.REFRESH,
                new RequestParams.None(), Ceremony.NOW);
        rogue.approveByAll(refresh, v1);

        Manifest successor = rogue.manifest(v1.keyId(), 2, HONEST, Map.of());
        rogue.importShares(successor);
        rogue.publishManifest(successor);

        RogueCoordinator.await("v1 shredded on both nodes", () -> rogue.nodeA.service.shred(refresh.requestId())
                .isPresent() && rogue.nodeB.service.shred(refresh.requestId()).isPresent());
        assertFalse(rogue.nodeA.service.heldShares().contains(v1.keyId() + "/1/1"));
        assertTrue(rogue.nodeA.service.heldShares().contains(v1.keyId() + "/2/1"));
    }

    private void publishCountersignedBy(Manifest manifest, Map<String, String> signerOf) throws Exception {
        Map<String, dev.keyescrow.core.secret.SecretBytes> saved = new java.util.HashMap<>();
        for (var e : signerOf.entrySet()) {
            saved.put(e.getKey(), rogue.custodianKeys.get(e.getKey()));
            rogue.custodianKeys.put(e.getKey(), rogue.custodian(e.getValue()));
        }
        try {
            rogue.publishManifest(manifest);
        } finally {
            saved.forEach((id, key) -> {
                if (key == null) {
                    rogue.custodianKeys.remove(id);
                } else {
                    rogue.custodianKeys.put(id, key);
                }
            });
        }
    }

    /**
     * Negative by nature: the nodes had the successor in hand and time to act on it. A shred
     * runs on the node's cluster thread right after the pin, so a second is far more than it takes.
     */
    private void assertSharesKept(Manifest v1, CanonicalRequest request) throws Exception {
        Thread.sleep(1500);
        for (NodeHarness node : List.of(rogue.nodeA, rogue.nodeB)) {
            assertTrue(node.service.shred(request.requestId()).isEmpty(), node.nodeId + " shredded for "
                    + request.requestId());
            assertTrue(node.service.heldShares().stream().anyMatch(s -> s.startsWith(v1.keyId() + "/1/")),
                    node.nodeId + " still holds its shares of v1");
        }
        assertEquals(0, rogue.member.getMap(ClusterMaps.SHREDS).keySet().stream()
                .filter(k -> k.toString().startsWith(request.requestId() + "/")).count(), "no shred receipt");
    }

    @Test
    void aReshareThatPutsAQuorumOnOneNode_isNotAdmitted() throws Exception {
        Manifest v1 = rogue.pinnedKey("reshare-one-node", HONEST);
        refusals.clear();
        rogue.publishRequest("req-reshare-one-node", v1, Operation.RESHARE, new RequestParams.Reshare(2, List.of(
                new ReshareHolder("new-7", Ed25519.publicKeyOf(rogue.custodian("new-7")), "node-a"),
                new ReshareHolder("new-8", Ed25519.publicKeyOf(rogue.custodian("new-8")), "node-a"),
                new ReshareHolder("new-9", Ed25519.publicKeyOf(rogue.custodian("new-9")), "node-b"))),
                Ceremony.NOW);
        RogueCoordinator.await("both nodes decided", () -> refusals.stream()
                .filter(r -> r.contains("req-reshare-one-node") || r.contains("node-a would hold")).count()
                + (RogueCoordinator.holds(rogue.nodeA, "req-reshare-one-node") ? 1 : 0)
                + (RogueCoordinator.holds(rogue.nodeB, "req-reshare-one-node") ? 1 : 0) >= 2);
        assertFalse(RogueCoordinator.holds(rogue.nodeA, "req-reshare-one-node"), "node-a admitted it");
        assertFalse(RogueCoordinator.holds(rogue.nodeB, "req-reshare-one-node"), "node-b admitted it");
    }
}
