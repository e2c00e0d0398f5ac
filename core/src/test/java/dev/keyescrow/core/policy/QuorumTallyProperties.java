package dev.keyescrow.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.policy.AnswerRefusedException.Reason;
import dev.keyescrow.core.policy.QuorumTally.Verdict;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class QuorumTallyProperties {
    private static final Instant CREATED = Instant.parse("2026-11-28T12:00:00Z");
    private static final Instant NOW = CREATED.plusSeconds(30);
    private static final int N = 5;
    private static final int T = 3;
    private static final List<SecretBytes> KEYS = new ArrayList<>();
    private static final Manifest MANIFEST;

    static {
        DeterministicRandom random = new DeterministicRandom(42);
        List<Holder> holders = new ArrayList<>();
        for (int i = 1; i <= N; i++) {
            SecretBytes key = Ed25519.generatePrivateKey(random);
            KEYS.add(key);
            holders.add(new Holder(i, "c" + i, Ed25519.publicKeyOf(key), "node-" + i,
                    new ShareCommitment(i, new byte[32], "00".repeat(32))));
        }
        MANIFEST = new Manifest("k", 1, KeyAlgorithm.AES_256, T, holders, new Kcv("000000"));
    }

    private static CanonicalRequest request(String id) {
        return new CanonicalRequest(id, Operation.USE, "k", 1, new RequestParams.Use(1, 60), "op", "test", CREATED,
                CREATED.plusSeconds(60), new byte[16], dev.keyescrow.core.signature.SoftwareP256Signer
                .generate(new DeterministicRandom(id.hashCode())).publicKey());
    }

    private static Approval answer(CanonicalRequest request, int custodian, Decision decision) {
        return Approval.sign(request, "c" + custodian, decision, KEYS.get(custodian - 1));
    }

    record Event(int custodian, Decision decision) {
    }

    @Provide
    Arbitrary<List<Event>> events() {
        return Arbitraries.integers().between(1, N).flatMap(c -> Arbitraries.of(Decision.class)
                .map(d -> new Event(c, d))).list().ofMaxSize(12);
    }

    @Property(tries = 200)
    void verdictFollowsTheModel(@ForAll("events") List<Event> events) throws Exception {
        CanonicalRequest request = request("req-a");
        QuorumTally tally = QuorumTally.start(request, MANIFEST);
        Map<Integer, Decision> first = new HashMap<>();
        Set<Integer> conflicted = new HashSet<>();
        for (Event e : events) {
            Approval a = answer(request, e.custodian(), e.decision());
            // a conflict is reported once: after it, either answer again is a repeat
            AnswerOutcome expected = !first.containsKey(e.custodian()) ? AnswerOutcome.COUNTED
                    : (!conflicted.contains(e.custodian()) && first.get(e.custodian()) != e.decision())
                    ? AnswerOutcome.CONFLICT : AnswerOutcome.REPEATED;
            assertEquals(expected, tally.outcomeOf(a, NOW));
            tally = tally.with(a, NOW);
            first.putIfAbsent(e.custodian(), e.decision());
            if (first.get(e.custodian()) != e.decision()) {
                conflicted.add(e.custodian());
            }
        }
        long approvals = first.entrySet().stream()
                .filter(x -> x.getValue() == Decision.APPROVE && !conflicted.contains(x.getKey())).count();
        long denials = first.size() - approvals;
        Verdict expected = approvals >= T ? Verdict.APPROVED : (N - denials < T ? Verdict.DENIED : Verdict.OPEN);
        assertEquals(expected, tally.verdict());
        assertEquals(approvals, tally.approvers().size());
        assertEquals(conflicted.size(), tally.conflicted().size());
    }

    @Property(tries = 20)
    void approvalsForAnotherRequestNeverCount(@ForAll @IntRange(min = 1, max = N) int custodian) {
        CanonicalRequest a = request("req-a");
        CanonicalRequest b = request("req-b");
        QuorumTally tally = QuorumTally.start(a, MANIFEST);
        AnswerRefusedException e = assertThrows(AnswerRefusedException.class,
                () -> tally.with(answer(b, custodian, Decision.APPROVE), NOW));
        assertEquals(Reason.WRONG_REQUEST, e.reason());
    }

    @Example
    void thresholdMinusOneIsNotEnoughAndThresholdIs() throws Exception {
        CanonicalRequest request = request("req-a");
        QuorumTally tally = QuorumTally.start(request, MANIFEST);
        tally = tally.with(answer(request, 1, Decision.APPROVE), NOW).with(answer(request, 4, Decision.APPROVE), NOW);
        assertEquals(Verdict.OPEN, tally.verdict());
        tally = tally.with(answer(request, 2, Decision.APPROVE), NOW);
        assertEquals(Verdict.APPROVED, tally.verdict());
        assertEquals(Set.of("c1", "c2", "c4"), tally.approvers());
    }

    /** A checked answer counts once without a second verification, and only in its own request's tallies. */
    @Example
    void aCheckedAnswerCountsInItsOwnRequestOnly() throws Exception {
        CanonicalRequest a = request("req-a");
        CanonicalRequest b = request("req-b");
        QuorumTally tallyA = QuorumTally.start(a, MANIFEST);
        QuorumTally.CheckedAnswer checked = tallyA.check(answer(a, 1, Decision.APPROVE), NOW);
        QuorumTally later = tallyA.with(answer(a, 2, Decision.APPROVE), NOW);
        assertTrue(later.accepts(checked), "tallies grown from the same start accept its checked answers");
        assertEquals(Set.of("c1", "c2"), later.with(checked).approvers());
        QuorumTally tallyB = QuorumTally.start(b, MANIFEST);
        assertFalse(tallyB.accepts(checked));
        assertThrows(IllegalArgumentException.class, () -> tallyB.with(checked));
        assertThrows(IllegalArgumentException.class, () -> tallyB.outcomeOf(checked));
        Approval good = answer(a, 3, Decision.APPROVE);
        Approval forged = new Approval(good.requestId(), good.requestDigest(), "c4", Decision.APPROVE,
                good.signature());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(AnswerRefusedException.class,
                () -> tallyA.check(forged, NOW)).reason(), "check verifies the signature");
    }

    @Example
    void forgedUnknownAndLateAnswersAreRefusedWithTheirReason() {
        CanonicalRequest request = request("req-a");
        QuorumTally tally = QuorumTally.start(request, MANIFEST);
        Approval good = answer(request, 1, Decision.APPROVE);
        Approval forged = new Approval(good.requestId(), good.requestDigest(), "c2", Decision.APPROVE,
                good.signature());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(AnswerRefusedException.class,
                () -> tally.with(forged, NOW)).reason());
        SecretBytes outsider = Ed25519.generatePrivateKey(new DeterministicRandom(7));
        Approval stranger = Approval.sign(request, "c9", Decision.APPROVE, outsider);
        assertEquals(Reason.UNKNOWN_CUSTODIAN, assertThrows(AnswerRefusedException.class,
                () -> tally.with(stranger, NOW)).reason());
        assertEquals(Reason.EXPIRED, assertThrows(AnswerRefusedException.class,
                () -> tally.with(good, request.expiresAt())).reason());
        Approval shortSignature = new Approval(good.requestId(), good.requestDigest(), "c1", Decision.APPROVE,
                java.util.Arrays.copyOf(good.signature(), 63));
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(AnswerRefusedException.class,
                () -> tally.with(shortSignature, NOW)).reason());
    }

    @Example
    void requestStatesMoveOnlyForward() {
        assertEquals(RequestState.APPROVED, RequestState.PENDING.moveTo(RequestState.APPROVED));
        for (RequestState s : RequestState.values()) {
            assertEquals(s.isTerminal(), s.successors().isEmpty(), s.name());
        }
        assertThrows(IllegalStateException.class, () -> RequestState.DENIED.moveTo(RequestState.APPROVED));
        assertThrows(IllegalStateException.class, () -> RequestState.EXECUTED.moveTo(RequestState.ACTIVE));
    }
}
