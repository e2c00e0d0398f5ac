package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the node acknowledged survives a restart: the state is rebuilt from its signed journal. */
class NodeServiceRestartTest {
    @TempDir
    Path state;

    @Test
    void stateSurvivesARestart() throws Exception {
        Ceremony ceremony = new Ceremony(new SecureRandom(), "k1");
        SoftwareP256Signer identity = SoftwareP256Signer.generate(new SecureRandom());
        MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
        CanonicalRequest request = ceremony.useRequest("req-1");
        try (NodeService node = NodeService.open("node-a", ceremony.coordinator.publicKey(), state, identity, clock)) {
            node.submit(ceremony.manifestEvent());
            for (int c = 1; c <= 5; c++) {
                node.submit(ceremony.countersignature(c));
            }
            node.submit(Ceremony.held("k1", 1, 2));
            node.submit(ceremony.requestEvent(request));
            node.answer(ceremony.answer(request, 2, Decision.APPROVE));
        }
        try (NodeService node = NodeService.open("node-a", ceremony.coordinator.publicKey(), state, identity, clock)) {
            assertEquals(List.of("custodian-2"), node.view("req-1").approvers());
            assertEquals(List.of("k1/1/2"), node.heldShares());
            assertEquals(9, node.head().sequence(), "manifest, 5 countersignatures, share, request, answer");
            NodeRefusedException again = org.junit.jupiter.api.Assertions.assertThrows(NodeRefusedException.class,
                    () -> node.answer(ceremony.answer(request, 2, Decision.APPROVE)));
            assertEquals(NodeRefusalReason.ALREADY_ANSWERED, again.reason());
        }
    }
}
