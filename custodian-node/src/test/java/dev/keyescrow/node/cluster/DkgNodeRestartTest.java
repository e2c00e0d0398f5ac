package dev.keyescrow.node.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.DkgCallMessage;
import dev.keyescrow.core.wire.DkgHolder;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted in the middle of a DKG (two real nodes, the pinned coordinator's call
 * played here; participant 3 never answers, so the ceremony waits in round one): node-b has
 * lost its polynomial, finds its own package already published when it reads the call again
 * at start, and stays out — it neither starts a second participant nor publishes a second,
 * different package — while node-a still holds the ceremony until its deadline, after which
 * it drops it too. Nothing of the DKG was ever stored.
 */
class DkgNodeRestartTest {
    @TempDir
    Path state;

    @Test
    void aRestartedNodeDoesNotRejoin_andTheCeremonyRunsOut() throws Exception {
        MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
        ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        try (RogueCoordinator rogue = new RogueCoordinator(state, clock, refusals)) {
            List<DkgHolder> holders = List.of(
                    new DkgHolder(1, "node-a", rogue.nodeA.token.identity().publicKey(),
                            rogue.nodeA.token.transportPublicKey()),
                    new DkgHolder(2, "node-b", rogue.nodeB.token.identity().publicKey(),
                            rogue.nodeB.token.transportPublicKey()),
                    new DkgHolder(3, "node-c", SoftwareP256Signer.generate(rogue.random).publicKey(),
                            SoftwareP256Signer.generate(rogue.random).publicKey()));
            DkgCallMessage unsigned = new DkgCallMessage("dkg-restart", "dkg-key", 1, 2,
                    clock.instant().plusSeconds(600), holders, new byte[64]);
            DkgCallMessage call = new DkgCallMessage("dkg-restart", "dkg-key", 1, 2, unsigned.deadline(), holders,
                    CoordinatorStatement.sign(rogue.signer, Kind.DKG_CALL, unsigned.digest()));
            IMap<String, byte[]> packages = rogue.member.getMap(ClusterMaps.DKG_PACKAGES);
            rogue.member.getMap(ClusterMaps.DKG_CALLS).set(call.key(), call.encode());
            RogueCoordinator.await("both nodes' packages", () -> packages.containsKey("dkg-restart/1")
                    && packages.containsKey("dkg-restart/2"));
            assertEquals(1, rogue.nodeB.vault.dkg().running());
            byte[] published = packages.get("dkg-restart/2");

            rogue.restartNodeB();
            rogue.nodeB.bridge.drain();
            assertEquals(0, rogue.nodeB.vault.dkg().running(), "node-b stays out of the ceremony it lost");
            assertArrayEquals(published, packages.get("dkg-restart/2"), "no second package from node-b");
            assertEquals(1, rogue.nodeA.vault.dkg().running(), "node-a still waits in round one");

            clock.advance(java.time.Duration.ofSeconds(601));
            assertEquals(0, rogue.nodeA.vault.dkg().running(), "past its deadline the ceremony is dropped");
            assertTrue(rogue.nodeA.service.heldShares().isEmpty() && rogue.nodeB.service.heldShares().isEmpty());
        }
    }
}
