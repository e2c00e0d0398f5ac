package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.node.Ceremony;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack: whoever holds the coordinator's signing key (a compromised coordinator) wants a
 * FROST key whole. The coordinator's own ledger refuses USE, EXPORT, REFRESH and RESHARE of a
 * FROST key, but a compromised coordinator signs such a request anyway and publishes it; if
 * custodians approve (misled, or colluding below the threshold's intent), every holder node
 * would release its scalar share to the request's ephemeral key, and t scalars interpolate to
 * the group secret. What must hold: a node never admits a request that would release a share
 * of a FROST key, so no approval count can make one due.
 */
class FrostShareReleaseAttackTest {
    private static final java.time.Instant NOW = Ceremony.NOW.plusSeconds(5);
    private Ceremony ceremony;
    private NodeLedger ledger;

    private void accept(NodeEvent event) throws NodeRefusedException {
        if (ledger.validate(event, NOW)) {
            ledger.apply(event);
        }
    }

    @BeforeEach
    void enrol() throws Exception {
        ceremony = new Ceremony(new SecureRandom(), "signing-key", true);
        assertEquals(KeyScheme.FROST, ceremony.manifest.scheme());
        ledger = new NodeLedger("node-a", ceremony.coordinator.publicKey());
        accept(ceremony.manifestEvent());
        for (int c = 1; c <= 5; c++) {
            accept(ceremony.countersignature(c));
        }
        accept(Ceremony.held("signing-key", 1, 1));
        accept(Ceremony.held("signing-key", 1, 2));
    }

    @Test
    void aCoordinatorSignedRequestThatWouldReleaseAFrostShareIsNeverAdmitted() throws Exception {
        List<CanonicalRequest> attacks = new ArrayList<>();
        attacks.add(ceremony.useRequest("req-use"));
        attacks.add(ceremony.request("req-export", Operation.EXPORT, new RequestParams.Export(
                SoftwareP256Signer.generate(new SecureRandom()).publicKey())));
        attacks.add(ceremony.request("req-refresh", Operation.REFRESH, new RequestParams.None()));
        for (CanonicalRequest request : attacks) {
            assertTrue(request.operation().needsRelease());
            NodeRefusedException refused = assertThrows(NodeRefusedException.class,
                    () -> ledger.validate(ceremony.requestEvent(request), NOW), request.operation().name());
            assertEquals(NodeRefusalReason.CONFLICT, refused.reason());
            assertTrue(refused.getMessage().contains("FROST"), refused.getMessage());
            // the custodians' approvals find no request to count for: nothing ever becomes due
            assertThrows(NodeRefusedException.class, () -> ledger.validate(new NodeEvent.AnswerAccepted(
                    ceremony.answer(request, 1, Decision.APPROVE), true), NOW));
            assertEquals(NodeRefusalReason.UNKNOWN_REQUEST, assertThrows(NodeRefusedException.class,
                    () -> ledger.dueReleases(request.requestId())).reason());
        }
        assertEquals(Map.of(), ledger.allDueReleases());
    }

    @Test
    void destroyOfAFrostKeyIsAdmittedAsForEveryKey() throws Exception {
        CanonicalRequest destroy = ceremony.request("req-destroy", Operation.DESTROY, new RequestParams.None());
        assertTrue(ledger.validate(ceremony.requestEvent(destroy), NOW));
    }
}
