package dev.keyescrow.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.RollbackMessage;
import dev.keyescrow.core.wire.RollbackReceiptMessage;
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
 * Ceremony rollbacks on real nodes, published by a cluster member holding the pinned
 * coordinator's key. A rollback of a ceremony that never committed makes every node
 * crypto-shred the shares it imported for it (epoch rotated, receipt published, the version's
 * imports refused from then on). The attack: the same key rolls back a COMMITTED version —
 * that would shred pinned shares without any quorum — and every node must refuse it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CeremonyRollbackAttackTest {
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

    private RollbackMessage rollback(Manifest manifest) throws Exception {
        RollbackMessage unsigned = new RollbackMessage(manifest.keyId(), manifest.version(), manifest.digest(),
                new byte[64]);
        return new RollbackMessage(manifest.keyId(), manifest.version(), manifest.digest(),
                CoordinatorStatement.sign(rogue.signer, Kind.ROLLBACK, unsigned.digest()));
    }

    private static boolean holdsAny(NodeHarness node, String keyId, int version) {
        return node.service.heldShares().stream().anyMatch(s -> s.startsWith(keyId + "/" + version + "/"));
    }

    @Test
    void aRolledBackCeremonysShares_areShreddedOnEveryNode_andNeverImportedAgain() throws Exception {
        rogue.importDeadline = clock.instant().plus(dev.keyescrow.core.wire.ImportMessage.WINDOW);
        Manifest survivor = rogue.pinnedKey("kept", List.of("custodian-1", "custodian-2", "custodian-3"));
        Manifest failed = rogue.manifest("never-committed", 1, List.of("custodian-1", "custodian-2", "custodian-3"),
                Map.of());
        Map<String, byte[]> imports = rogue.importShares(failed);
        long epochA = rogue.nodeA.service.epoch();
        long epochB = rogue.nodeB.service.epoch();

        RollbackMessage rollback = rollback(failed);
        IMap<String, byte[]> receipts = rogue.member.getMap(ClusterMaps.ROLLBACK_RECEIPTS);
        rogue.member.<String, byte[]>getMap(ClusterMaps.ROLLBACKS).set(rollback.key(), rollback.encode());
        RogueCoordinator.await("both nodes receipted the rollback", () -> receipts.containsKey(
                rollback.rollbackId() + "/node-a") && receipts.containsKey(rollback.rollbackId() + "/node-b"));

        for (NodeHarness node : List.of(rogue.nodeA, rogue.nodeB)) {
            assertFalse(holdsAny(node, "never-committed", 1), node.nodeId + " kept shares of a rolled-back ceremony: "
                    + node.service.heldShares());
            assertTrue(holdsAny(node, "kept", 1), node.nodeId + " lost the shares of a committed version");
            assertTrue(node.service.isRolledBack("never-committed", 1));
            // the old epoch KEK is gone from the token: copies of old blobs are useless
            assertEquals(List.of(node.service.epoch()), node.token.epochs());
        }
        assertTrue(rogue.nodeA.service.epoch() > epochA && rogue.nodeB.service.epoch() > epochB,
                "the epoch rotated on both nodes");
        RollbackReceiptMessage receiptA = RollbackReceiptMessage.decode(receipts.get(rollback.rollbackId()
                + "/node-a"));
        assertEquals(List.of("never-committed/1/1", "never-committed/1/2"), receiptA.destroyed());
        assertEquals(rollback.manifestDigest(), receiptA.manifestDigest());
        assertEquals(rollback.rollbackId() + "/node-a", receiptA.key());
        // the receipt names the rollback, under node-a's identity key, and passes as nothing else
        dev.keyescrow.core.signature.EcdsaP256.verify(rogue.nodeA.token.identity().publicKey(),
                dev.keyescrow.hsm.spec.Statements.rollbackReceipt("node-a", "never-committed", 1,
                        rollback.manifestDigest(), receiptA.epoch(), List.of(
                                new dev.keyescrow.hsm.ShareRef("never-committed", 1, 1, 1),
                                new dev.keyescrow.hsm.ShareRef("never-committed", 1, 2, 1))),
                receiptA.signature());
        assertThrows(dev.keyescrow.core.error.SignatureException.class, () -> dev.keyescrow.core.signature.EcdsaP256
                .verify(rogue.nodeA.token.identity().publicKey(), dev.keyescrow.hsm.spec.Statements.shredReceipt(
                        "node-a", receiptA.epoch(), List.of(new dev.keyescrow.hsm.ShareRef("never-committed", 1, 1, 1),
                                new dev.keyescrow.hsm.ShareRef("never-committed", 1, 2, 1))), receiptA.signature()));

        // the recorded imports of the rolled-back version, replayed, are refused
        IMap<String, byte[]> importMap = rogue.member.getMap(ClusterMaps.IMPORTS);
        refusals.clear();
        imports.forEach((key, value) -> {
            importMap.delete(key);
            importMap.set(key, value);
        });
        RogueCoordinator.await("every replayed import refused", () -> refusals.stream()
                .filter(r -> r.contains("never-committed v1 were shredded")).count() >= imports.size());
        assertFalse(holdsAny(rogue.nodeA, "never-committed", 1) || holdsAny(rogue.nodeB, "never-committed", 1));

        // a manifest for the rolled-back version is never admitted afterwards
        refusals.clear();
        rogue.publishManifest(failed);
        RogueCoordinator.await("the manifest refused on both nodes", () -> refusals.stream()
                .filter(r -> r.contains("was rolled back")).count() >= 2);
        assertFalse(rogue.nodeA.service.isPinned("never-committed", 1));
        assertEquals(1, survivor.version());
    }

    @Test
    void aRollbackOfACommittedVersion_isRefused_andItsSharesStay() throws Exception {
        rogue.importDeadline = clock.instant().plus(dev.keyescrow.core.wire.ImportMessage.WINDOW);
        Manifest committed = rogue.pinnedKey("committed", List.of("custodian-1", "custodian-2", "custodian-3"));
        long epochA = rogue.nodeA.service.epoch();
        refusals.clear();

        RollbackMessage rollback = rollback(committed);
        rogue.member.<String, byte[]>getMap(ClusterMaps.ROLLBACKS).set(rollback.key(), rollback.encode());
        RogueCoordinator.await("both nodes refused the rollback", () -> refusals.stream()
                .filter(r -> r.contains("rollback of committed v1 refused")).count() >= 2);

        for (NodeHarness node : List.of(rogue.nodeA, rogue.nodeB)) {
            assertTrue(holdsAny(node, "committed", 1), node.nodeId + " shredded a committed version's shares on the"
                    + " coordinator's word alone");
            assertFalse(node.service.isRolledBack("committed", 1));
        }
        assertEquals(epochA, rogue.nodeA.service.epoch(), "no rotation for a refused rollback");
        IMap<String, byte[]> receipts = rogue.member.getMap(ClusterMaps.ROLLBACK_RECEIPTS);
        assertFalse(receipts.containsKey(rollback.rollbackId() + "/node-a"), "no receipt for a refused rollback");
    }
}
