package dev.keyescrow.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: a compromised coordinator (its signing key, on a real cluster of two real nodes)
 * wants a FROST key whole. It publishes a signed USE request for the key and every custodian
 * approves at their own node. If the nodes took it, each would release its scalar share and
 * the two scalars would interpolate to the group secret. What must hold: both nodes refuse the
 * request on arrival, so the approvals count for nothing and nothing reaches the releases map,
 * while a SHAMIR key on the same nodes is released as before (the refusal is not a broken
 * cluster).
 */
class FrostReleaseAttackTest {
    @TempDir
    Path state;

    @Test
    void aSignedUseOfAFrostKey_approvedByAll_releasesNothing() throws Exception {
        MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
        ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        try (RogueCoordinator rogue = new RogueCoordinator(state, clock, refusals)) {
            List<String> custodians = List.of("custodian-1", "custodian-2", "custodian-3");
            Manifest frost = rogue.frostManifest("signing-key", custodians);
            assertEquals(KeyScheme.FROST, frost.scheme());
            rogue.importShares(frost);
            rogue.publishManifest(frost);
            RogueCoordinator.await("FROST key pinned", () -> rogue.nodeA.service.isPinned("signing-key", 1)
                    && rogue.nodeB.service.isPinned("signing-key", 1));

            CanonicalRequest use = rogue.publishRequest("req-steal-frost", frost, Operation.USE,
                    new RequestParams.Use(1, 60), clock.instant());
            RogueCoordinator.await("both nodes saw the USE", () -> refusals.stream()
                    .filter(r -> r.contains("req-steal-frost") || r.contains("never rebuilt")).count() >= 2
                    || RogueCoordinator.holds(rogue.nodeA, use.requestId())
                    && RogueCoordinator.holds(rogue.nodeB, use.requestId()));

            // an honest SHAMIR key on the same nodes: its USE is taken and released as ever
            Manifest plain = rogue.pinnedKey("plain-key", custodians);
            CanonicalRequest honest = rogue.request("req-honest", plain, Operation.USE,
                    new RequestParams.Use(1, 60), clock.instant());
            rogue.approveByAll(honest, plain);
            try {
                rogue.approveByAll(use, frost);
            } catch (Exception refused) {
                // the nodes know no such request: the custodians' approvals are refused outright
            }
            IMap<String, byte[]> releases = rogue.member.getMap(ClusterMaps.RELEASES);
            RogueCoordinator.await("the honest request released", () -> releases.keySet().stream()
                    .filter(k -> k.startsWith("req-honest")).count() >= 3);
            assertTrue(releases.keySet().stream().noneMatch(k -> k.startsWith(use.requestId())),
                    "a share of the FROST key was released: " + releases.keySet());
            assertFalse(RogueCoordinator.holds(rogue.nodeA, use.requestId()));
            assertFalse(RogueCoordinator.holds(rogue.nodeB, use.requestId()));
            assertTrue(refusals.stream().filter(r -> r.contains("FROST key, which is never rebuilt")).count() >= 2,
                    String.join("\n", refusals));
        }
    }
}
