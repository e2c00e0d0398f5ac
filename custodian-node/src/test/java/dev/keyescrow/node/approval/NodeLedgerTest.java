package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.node.Ceremony;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeLedgerTest {
    private static final java.time.Instant NOW = Ceremony.NOW.plusSeconds(5);
    private Ceremony ceremony;
    private NodeLedger ledger;
    private final List<NodeEvent> journal = new ArrayList<>();

    private void accept(NodeEvent event) throws NodeRefusedException {
        if (ledger.validate(event, NOW)) {
            journal.add(event);
            ledger.apply(event);
        }
    }

    @BeforeEach
    void enrol() throws Exception {
        ceremony = new Ceremony(new SecureRandom(), "payments-key");
        ledger = new NodeLedger("node-a", ceremony.coordinator.publicKey());
        accept(ceremony.manifestEvent());
        for (int c = 1; c <= 5; c++) {
            accept(ceremony.countersignature(c));
        }
        accept(Ceremony.held("payments-key", 1, 1));
        accept(Ceremony.held("payments-key", 1, 2));
    }

    @Test
    void releaseIsDueOnlyAfterThisNodeCountedThresholdApprovals() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-1");
        accept(ceremony.requestEvent(request));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 1, Decision.APPROVE), true));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 2, Decision.APPROVE), true));
        assertEquals(List.of(), ledger.dueReleases("req-1"), "t - 1 approvals release nothing");
        assertEquals(RequestState.PENDING, ledger.view("req-1", NOW).state());

        // custodian 3's share is on node-b: it cannot answer here, but its answer given there counts
        NodeRefusedException wrongNode = assertThrows(NodeRefusedException.class, () -> ledger.validate(
                new NodeEvent.AnswerAccepted(ceremony.answer(request, 3, Decision.APPROVE), true), NOW));
        assertEquals(NodeRefusalReason.NOT_ON_THIS_NODE, wrongNode.reason());
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 3, Decision.APPROVE), false));
        assertEquals(RequestState.APPROVED, ledger.view("req-1", NOW).state());
        assertEquals(List.of(1, 2), ledger.dueReleases("req-1"));
        accept(Ceremony.released("req-1", 1));
        accept(Ceremony.released("req-1", 2));
        assertEquals(List.of(), ledger.dueReleases("req-1"), "a share is released once");
        assertEquals(NodeRefusalReason.CLOSED, assertThrows(NodeRefusedException.class,
                () -> ledger.validate(Ceremony.released("req-1", 1), NOW)).reason());
    }

    /**
     * {@code allDueReleases} looks only at unsettled requests and forgets settled ones; it must
     * still say exactly what asking each request would say, whatever the order of events.
     */
    @Test
    void allDueReleases_agreesWithEveryRequestsOwnAnswer_asRequestsSettle() throws Exception {
        java.util.Random order = new java.util.Random(7);
        List<CanonicalRequest> requests = new ArrayList<>();
        for (int r = 0; r < 12; r++) {
            CanonicalRequest request = ceremony.useRequest("req-many-" + r);
            accept(ceremony.requestEvent(request));
            requests.add(request);
        }
        for (int step = 0; step < 200; step++) {
            CanonicalRequest request = requests.get(order.nextInt(requests.size()));
            int custodian = 1 + order.nextInt(5);
            Decision decision = order.nextInt(4) == 0 ? Decision.DENY : Decision.APPROVE;
            NodeEvent event = switch (order.nextInt(3)) {
                case 0 -> new NodeEvent.AnswerAccepted(ceremony.answer(request, custodian, decision), custodian <= 2);
                case 1 -> Ceremony.released(request.requestId(), 1 + order.nextInt(2));
                default -> new NodeEvent.AnswerAccepted(ceremony.answer(request, 3 + order.nextInt(3),
                        Decision.APPROVE), false);
            };
            try {
                accept(event);
            } catch (NodeRefusedException refused) {
                // not allowed in this state (a release not due, an answer on a closed request): changes nothing
            }
            java.util.Map<String, List<Integer>> expected = new java.util.TreeMap<>();
            for (CanonicalRequest each : requests) {
                List<Integer> due = ledger.dueReleases(each.requestId());
                if (!due.isEmpty()) {
                    expected.put(each.requestId(), due);
                }
            }
            assertEquals(expected, ledger.allDueReleases(), "after step " + step);
        }
    }

    @Test
    void approvalsForOneRequestNeverCountForAnother() throws Exception {
        CanonicalRequest a = ceremony.useRequest("req-a");
        CanonicalRequest b = ceremony.useRequest("req-b");
        accept(ceremony.requestEvent(a));
        accept(ceremony.requestEvent(b));
        var forA = ceremony.answer(a, 1, Decision.APPROVE);
        var replayedAtB = new dev.keyescrow.core.request.Approval("req-b", forA.requestDigest(), "custodian-1",
                Decision.APPROVE, forA.signature());
        assertEquals(NodeRefusalReason.WRONG_REQUEST, assertThrows(NodeRefusedException.class,
                () -> ledger.validate(new NodeEvent.AnswerAccepted(replayedAtB, true), NOW)).reason());
    }

    @Test
    void unsignedRequestsAndManifestsAreRefused() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-x");
        SoftwareP256Signer impostor = SoftwareP256Signer.generate(new SecureRandom());
        var forged = new NodeEvent.RequestAdmitted(new String(request.canonicalJson(),
                java.nio.charset.StandardCharsets.UTF_8), dev.keyescrow.core.request.CoordinatorStatement.sign(
                impostor, dev.keyescrow.core.request.CoordinatorStatement.Kind.REQUEST, request.digest()));
        assertEquals(NodeRefusalReason.BAD_COORDINATOR_SIGNATURE,
                assertThrows(NodeRefusedException.class, () -> ledger.validate(forged, NOW)).reason());
        var manifestSignatureOnRequest = new NodeEvent.RequestAdmitted(forged.canonical(),
                dev.keyescrow.core.request.CoordinatorStatement.sign(ceremony.coordinator,
                        dev.keyescrow.core.request.CoordinatorStatement.Kind.MANIFEST, request.digest()));
        assertEquals(NodeRefusalReason.BAD_COORDINATOR_SIGNATURE, assertThrows(NodeRefusedException.class,
                () -> ledger.validate(manifestSignatureOnRequest, NOW)).reason());
    }

    @Test
    void requestsForAVersionNotCountersignedByAllAreRefused() throws Exception {
        Ceremony fresh = new Ceremony(new SecureRandom(), "new-key");
        NodeLedger node = new NodeLedger("node-a", fresh.coordinator.publicKey());
        node.apply(fresh.manifestEvent());
        for (int c = 1; c <= 4; c++) {
            node.apply(fresh.countersignature(c));
        }
        assertFalse(node.isPinned("new-key", 1));
        assertEquals(NodeRefusalReason.NOT_PINNED, assertThrows(NodeRefusedException.class,
                () -> node.validate(fresh.requestEvent(fresh.useRequest("r")), NOW)).reason());
    }

    @Test
    void conflictingAnswersCountAsDenyAndEnoughDenialsCloseTheRequest() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-d");
        accept(ceremony.requestEvent(request));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 1, Decision.APPROVE), true));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 1, Decision.DENY), true));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 2, Decision.DENY), true));
        assertEquals(RequestState.PENDING, ledger.view("req-d", NOW).state(), "2 denials: 3 approvals still possible");
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 4, Decision.DENY), false));
        assertEquals(RequestState.DENIED, ledger.view("req-d", NOW).state(), "3 denials of 5: t = 3 unreachable");
        assertEquals(List.of(), ledger.view("req-d", NOW).approvers());
        assertEquals(NodeRefusalReason.CLOSED, assertThrows(NodeRefusedException.class, () -> ledger.validate(
                new NodeEvent.AnswerAccepted(ceremony.answer(request, 5, Decision.APPROVE), false), NOW)).reason());
        assertEquals(List.of(), ledger.dueReleases("req-d"));
    }

    @Test
    void releaseIsDueOnceAndOnlyForOperationsThatRelease() throws Exception {
        NodeLedger node = new NodeLedger("node-a", ceremony.coordinator.publicKey());
        for (NodeEvent e : journal) {
            node.apply(e);
        }
        CanonicalRequest destroy = ceremony.request("req-destroy", Operation.DESTROY, new RequestParams.None());
        node.apply(ceremony.requestEvent(destroy));
        for (int c = 1; c <= 3; c++) {
            node.apply(new NodeEvent.AnswerAccepted(ceremony.answer(destroy, c, Decision.APPROVE), c <= 2));
        }
        assertEquals(RequestState.APPROVED, node.view("req-destroy", NOW).state());
        assertEquals(List.of(), node.dueReleases("req-destroy"), "DESTROY shreds, it never releases");
    }

    private void pinSuccessor(int version, String kcv, int threshold, int holders) throws Exception {
        java.util.List<dev.keyescrow.core.integrity.Holder> list = new ArrayList<>();
        for (int i = 1; i <= holders; i++) {
            var h = ceremony.manifest.holders().get(i - 1);
            list.add(new dev.keyescrow.core.integrity.Holder(i, h.custodianId(), h.publicKey(), h.nodeId(),
                    new dev.keyescrow.core.integrity.ShareCommitment(i, new byte[32], "cd".repeat(32))));
        }
        var manifest = new dev.keyescrow.core.integrity.Manifest("payments-key", version,
                dev.keyescrow.core.integrity.KeyAlgorithm.AES_256, threshold, list,
                new dev.keyescrow.core.integrity.Kcv(kcv));
        accept(new NodeEvent.ManifestAdmitted(new String(manifest.canonicalJson(),
                java.nio.charset.StandardCharsets.UTF_8), dev.keyescrow.core.request.CoordinatorStatement.sign(
                ceremony.coordinator, dev.keyescrow.core.request.CoordinatorStatement.Kind.MANIFEST, manifest.digest())));
        for (int i = 1; i <= holders; i++) {
            String id = "custodian-" + i;
            accept(new NodeEvent.Countersigned("payments-key", version, id, dev.keyescrow.core.signature.Ed25519.sign(
                    ceremony.custodianKeys.get(i - 1), manifest.countersignatureStatement(id))));
        }
    }

    @Test
    void anApprovedRefreshShredsOnlyOnceASuccessorWithTheSameKeyIsPinned() throws Exception {
        CanonicalRequest refresh = ceremony.request("req-refresh", Operation.REFRESH, new RequestParams.None());
        accept(ceremony.requestEvent(refresh));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(refresh, 1, Decision.APPROVE), true));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(refresh, 2, Decision.APPROVE), true));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(refresh, 3, Decision.APPROVE), false));
        assertEquals(List.of(1, 2), ledger.dueReleases("req-refresh"), "REFRESH releases the old shares");
        assertEquals(List.of(), ledger.dueShreds(), "no successor yet: the old shares are the only copy");
        pinSuccessor(2, "999999", 3, 5);
        assertEquals(List.of(), ledger.dueShreds(), "a successor with another KCV is another key: never shred");
        pinSuccessor(3, "123abc", 3, 5);
        assertEquals(List.of("req-refresh"), ledger.dueShreds());
    }

    @Test
    void anApprovedReshareShredsOnlyForTheApprovedCustodiansAndThreshold() throws Exception {
        CanonicalRequest reshare = ceremony.request("req-reshare", Operation.RESHARE,
                new RequestParams.Reshare(3, ceremony.manifest.holders().subList(0, 3).stream()
                        .map(h -> new dev.keyescrow.core.request.ReshareHolder(h.custodianId(), h.publicKey(),
                                h.nodeId())).toList()));
        accept(ceremony.requestEvent(reshare));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(reshare, 1, Decision.APPROVE), true));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(reshare, 4, Decision.APPROVE), false));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(reshare, 5, Decision.APPROVE), false));
        pinSuccessor(2, "123abc", 2, 3);
        assertEquals(List.of(), ledger.dueShreds(), "the approved threshold was 3, not 2");
        pinSuccessor(3, "123abc", 3, 3);
        assertEquals(List.of("req-reshare"), ledger.dueShreds());
    }

    @Test
    void aCancelledRequestCountsNothingReleasesNothingAndOnlyTheCoordinatorCanCancel() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-cancel");
        accept(ceremony.requestEvent(request));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 1, Decision.APPROVE), true));
        String digest = new dev.keyescrow.core.wire.CancelMessage("req-cancel", request.digest(), new byte[64]).digest();
        var forged = new NodeEvent.RequestCancelled("req-cancel", dev.keyescrow.core.request.CoordinatorStatement.sign(
                SoftwareP256Signer.generate(new SecureRandom()), dev.keyescrow.core.request.CoordinatorStatement.Kind.CANCEL,
                digest));
        assertEquals(NodeRefusalReason.BAD_COORDINATOR_SIGNATURE,
                assertThrows(NodeRefusedException.class, () -> ledger.validate(forged, NOW)).reason());
        accept(new NodeEvent.RequestCancelled("req-cancel", dev.keyescrow.core.request.CoordinatorStatement.sign(
                ceremony.coordinator, dev.keyescrow.core.request.CoordinatorStatement.Kind.CANCEL, digest)));
        assertEquals(RequestState.CANCELLED, ledger.view("req-cancel", NOW).state());
        assertEquals(NodeRefusalReason.CLOSED, assertThrows(NodeRefusedException.class, () -> ledger.validate(
                new NodeEvent.AnswerAccepted(ceremony.answer(request, 2, Decision.APPROVE), true), NOW)).reason());
        assertEquals(List.of(), ledger.dueReleases("req-cancel"));
    }

    @Test
    void answersOnExpiredRequestsAreRefused() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-late");
        accept(ceremony.requestEvent(request));
        NodeRefusedException e = assertThrows(NodeRefusedException.class, () -> ledger.validate(
                new NodeEvent.AnswerAccepted(ceremony.answer(request, 1, Decision.APPROVE), true),
                request.expiresAt()));
        assertEquals(NodeRefusalReason.EXPIRED, e.reason());
    }

    @Test
    void replayingTheJournalRebuildsTheSameState() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-r");
        accept(ceremony.requestEvent(request));
        accept(new NodeEvent.AnswerAccepted(ceremony.answer(request, 2, Decision.APPROVE), true));
        NodeLedger replayed = new NodeLedger("node-a", ceremony.coordinator.publicKey());
        journal.forEach(replayed::apply);
        assertEquals(ledger.view("req-r", NOW), replayed.view("req-r", NOW));
        assertEquals(ledger.heldShares(), replayed.heldShares());
        assertEquals(List.of("payments-key/1/1", "payments-key/1/2"), replayed.heldShares());
    }
}
