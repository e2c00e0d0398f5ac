package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.node.Ceremony;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The node's bounds on request times, as configured: skew ahead of its clock and lifetime. */
class RequestTimeLimitsTest {
    private static final Instant NOW = Ceremony.NOW;
    private final SecureRandom random = new SecureRandom();

    private NodeLedger pinnedLedger(Ceremony ceremony, RequestTimeLimits limits) throws Exception {
        NodeLedger ledger = new NodeLedger("node-a", ceremony.coordinator.publicKey(), limits);
        NodeEvent manifest = ceremony.manifestEvent();
        ledger.validate(manifest, NOW);
        ledger.apply(manifest);
        for (int c = 1; c <= 5; c++) {
            ledger.apply(ceremony.countersignature(c));
        }
        return ledger;
    }

    private CanonicalRequest request(String id, Instant createdAt, Instant expiresAt) {
        return new CanonicalRequest(id, Operation.USE, "payments-key", 1, new RequestParams.Use(1, 60), "alice",
                "testing", createdAt, expiresAt, new byte[16], SoftwareP256Signer.generate(random).publicKey());
    }

    @Test
    void aTightenedNodeRefusesWhatTheDefaultsAllow() throws Exception {
        Ceremony ceremony = new Ceremony(random, "payments-key");
        NodeLedger strict = pinnedLedger(ceremony, new RequestTimeLimits(Duration.ofSeconds(5), Duration.ofHours(1)));
        NodeLedger lenient = pinnedLedger(ceremony, RequestTimeLimits.DEFAULT);

        NodeEvent sixAhead = ceremony.requestEvent(request("req-6s", NOW.plusSeconds(6), NOW.plusSeconds(606)));
        NodeRefusedException refused = assertThrows(NodeRefusedException.class, () -> strict.validate(sixAhead, NOW));
        assertEquals(NodeRefusalReason.BAD_REQUEST_TIME, refused.reason());
        assertTrue(refused.getMessage().contains("req-6s") && refused.getMessage().contains("createdAt"),
                refused.getMessage());
        assertTrue(lenient.validate(sixAhead, NOW), "60 s of skew by default");
        assertTrue(strict.validate(ceremony.requestEvent(request("req-5s", NOW.plusSeconds(5), NOW.plusSeconds(605))),
                NOW), "exactly the skew is allowed");

        NodeEvent twoHours = ceremony.requestEvent(request("req-2h", NOW, NOW.plus(Duration.ofHours(2))));
        assertEquals(NodeRefusalReason.BAD_REQUEST_TIME, assertThrows(NodeRefusedException.class,
                () -> strict.validate(twoHours, NOW)).reason());
        assertTrue(lenient.validate(twoHours, NOW), "24 h of life by default");
    }

    @Test
    void theLimitsThemselvesAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> new RequestTimeLimits(Duration.ofSeconds(-1),
                Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new RequestTimeLimits(Duration.ofHours(2),
                Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new RequestTimeLimits(Duration.ofSeconds(60),
                Duration.ofHours(25)));
        assertThrows(IllegalArgumentException.class, () -> new RequestTimeLimits(Duration.ofSeconds(60),
                Duration.ZERO));
    }
}
