package dev.keyescrow.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The coordinator's request rules without a cluster: random sequences of requests, answers
 * (approving, denying, repeated, conflicting), releases, state changes proposed in any order
 * (as a faulty or hurried workflow might propose them), the clock passing expiry and restarts
 * from the journal, run against a real {@link CoordinatorLedger} and checked after every step
 * against a small model. The rules: a request becomes APPROVED only with t distinct approvals
 * counted and DENIED only once t can no longer be reached (a custodian who answered both ways
 * counts as a denial); states move only forward; answers stop counting once the request is
 * finished or expired; a release is accepted once per share; nothing refused changes anything.
 * The key is a 3-of-5 AES-256 version on three enrolled nodes, created, countersigned and
 * activated through the ledger's own events.
 */
class CoordinatorLedgerStateMachineProperties {
    private static final int THRESHOLD = 3;
    private static final int CUSTODIANS = 5;
    private static final String KEY = "payments-key";
    private static final List<String> REQUEST_IDS = List.of("req-a", "req-b", "req-c");
    private static final String[] NODE_OF = {"node-1", "node-1", "node-2", "node-2", "node-3"};
    private static final Instant CREATED = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant EXPIRES = CREATED.plusSeconds(600);
    private static final List<RequestState> PROPOSED = List.of(RequestState.APPROVED, RequestState.DENIED,
            RequestState.ACTIVE, RequestState.EXECUTED, RequestState.CANCELLED, RequestState.EXPIRED);
    private static final Fixture FIXTURE = new Fixture();

    /** Keys and signed events shared by every run: the coordinator, three nodes, five custodians. */
    static final class Fixture {
        final SecureRandom random = new SecureRandom();
        final SoftwareP256Signer coordinator = SoftwareP256Signer.generate(random);
        final Map<String, SoftwareP256Signer> nodes = new TreeMap<>();
        final List<SecretBytes> custodianKeys = new ArrayList<>();
        final NodeRegistry registry;
        final Manifest manifest;
        final Map<String, CanonicalRequest> requests = new TreeMap<>();

        Fixture() {
            List<EnrolledNode> enrolled = new ArrayList<>();
            for (String id : List.of("node-1", "node-2", "node-3")) {
                SoftwareP256Signer identity = SoftwareP256Signer.generate(random);
                nodes.put(id, identity);
                enrolled.add(EnrolledNode.of(id, "http://" + id + ".invalid", identity.publicKey(),
                        SoftwareP256Signer.generate(random).publicKey()));
            }
            registry = new NodeRegistry(enrolled);
            List<Holder> holders = new ArrayList<>();
            for (int i = 1; i <= CUSTODIANS; i++) {
                SecretBytes key = Ed25519.generatePrivateKey(random);
                custodianKeys.add(key);
                byte[] salt = new byte[32];
                random.nextBytes(salt);
                holders.add(new Holder(i, "custodian-" + i, Ed25519.publicKeyOf(key), NODE_OF[i - 1],
                        new ShareCommitment(i, salt, "ab".repeat(32))));
            }
            manifest = new Manifest(KEY, 1, KeyAlgorithm.AES_256, THRESHOLD, holders, new Kcv("123abc"));
            for (String id : REQUEST_IDS) {
                byte[] nonce = new byte[16];
                random.nextBytes(nonce);
                requests.put(id, new CanonicalRequest(id, Operation.USE, KEY, 1, new RequestParams.Use(5, 60),
                        "alice", "testing", CREATED, EXPIRES, nonce, SoftwareP256Signer.generate(random).publicKey()));
            }
        }

        /** The events that take the key from nothing to ACTIVE, in the order the coordinator journals them. */
        List<CoordinatorEvent> keyCreation() throws Exception {
            List<CoordinatorEvent> events = new ArrayList<>();
            for (int i = 1; i <= CUSTODIANS; i++) {
                events.add(new CoordinatorEvent.CustodianRegistered("custodian-" + i,
                        Ed25519.publicKeyOf(custodianKeys.get(i - 1)), NODE_OF[i - 1]));
            }
            events.add(new CoordinatorEvent.CeremonyStarted(new String(manifest.canonicalJson(), StandardCharsets.UTF_8),
                    new byte[0]));
            for (Holder h : manifest.holders()) {
                String envelope = "e" + "0".repeat(62) + h.index();
                String stored = "d" + "0".repeat(62) + h.index();
                byte[] statement = NodeStatements.importReceipt(h.nodeId(), new ShareRef(KEY, 1, h.index(), 32),
                        envelope, stored);
                events.add(new CoordinatorEvent.ReceiptVerified(KEY, 1, h.index(), 32, h.nodeId(), envelope, stored,
                        nodes.get(h.nodeId()).sign(statement)));
            }
            events.add(new CoordinatorEvent.VersionCreated(KEY, 1, CoordinatorStatement.sign(coordinator,
                    CoordinatorStatement.Kind.MANIFEST, manifest.digest())));
            for (int i = 1; i <= CUSTODIANS; i++) {
                String id = "custodian-" + i;
                events.add(new CoordinatorEvent.Countersigned(KEY, 1, id, Ed25519.sign(custodianKeys.get(i - 1),
                        manifest.countersignatureStatement(id))));
            }
            events.add(new CoordinatorEvent.VersionStateChanged(KEY, 1, KeyState.ACTIVE, "countersigned by all"));
            return events;
        }

        CoordinatorEvent.RequestCreated requestCreated(String id) throws Exception {
            CanonicalRequest request = requests.get(id);
            return new CoordinatorEvent.RequestCreated(new String(request.canonicalJson(), StandardCharsets.UTF_8),
                    CoordinatorStatement.sign(coordinator, CoordinatorStatement.Kind.REQUEST, request.digest()),
                    "5".repeat(64), null);
        }

        Approval answer(String id, int custodian, Decision decision) {
            return Approval.sign(requests.get(id), "custodian-" + custodian, decision, custodianKeys.get(custodian - 1));
        }
    }

    /** What the model expects of one request. */
    static final class ExpectedRequest {
        RequestState state = RequestState.PENDING;
        final Map<Integer, Decision> answers = new TreeMap<>();
        final Set<Integer> conflicted = new TreeSet<>();
        final Set<Integer> released = new TreeSet<>();

        long approvals() {
            return answers.values().stream().filter(d -> d == Decision.APPROVE).count();
        }

        boolean approved() {
            return approvals() >= THRESHOLD;
        }

        boolean denied() {
            return CUSTODIANS - (answers.size() - approvals()) < THRESHOLD;
        }

        /** What the coordinator shows: a request waiting for its quorum or releases expires with its TTL. */
        RequestState shown(Instant now) {
            boolean waiting = state == RequestState.PENDING || state == RequestState.APPROVED;
            return waiting && !now.isBefore(EXPIRES) ? RequestState.EXPIRED : state;
        }

        Set<String> approvers() {
            Set<String> approvers = new TreeSet<>();
            answers.forEach((c, d) -> {
                if (d == Decision.APPROVE) {
                    approvers.add("custodian-" + c);
                }
            });
            return approvers;
        }
    }

    /** One journaled event with its record time, as a restart replays it. */
    record Journaled(CoordinatorEvent event, Instant at) {
    }

    /** The ledger under test, its journal, the clock, and the model. */
    static final class Machine {
        CoordinatorLedger ledger = new CoordinatorLedger(FIXTURE.registry, FIXTURE.coordinator.publicKey());
        final List<Journaled> journal = new ArrayList<>();
        final Map<String, ExpectedRequest> expected = new TreeMap<>();
        Instant now = CREATED.plusSeconds(5);

        Machine() {
            try {
                for (CoordinatorEvent event : FIXTURE.keyCreation()) {
                    assertTrue(offer(event), "key creation: " + event.type());
                }
            } catch (Exception e) {
                throw new AssertionError("cannot create the fixture's key", e);
            }
        }

        /** validate → journal → apply, as the service does; whether the event changed anything. */
        boolean offer(CoordinatorEvent event) {
            try {
                if (ledger.validate(event, now)) {
                    journal.add(new Journaled(event, now));
                    ledger.apply(event, now);
                    return true;
                }
                return false;
            } catch (RefusedException refused) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "Machine[" + expected.size() + " requests, " + journal.size() + " records]";
        }
    }

    private static Transformer<Machine> step(String description, java.util.function.Consumer<Machine> step) {
        return Transformer.mutate(description, machine -> {
            byte[] before = machine.ledger.stateDigest();
            int journaled = machine.journal.size();
            step.accept(machine);
            if (machine.journal.size() == journaled) {
                assertArrayEquals(before, machine.ledger.stateDigest(),
                        description + " journaled nothing but changed the ledger");
            }
            check(machine, description);
        });
    }

    private static Action.Independent<Machine> create() {
        return () -> Arbitraries.of(REQUEST_IDS).map(id -> step("create " + id, m -> {
            try {
                boolean expectedChange = !m.expected.containsKey(id) && m.now.isBefore(EXPIRES);
                assertEquals(expectedChange, m.offer(FIXTURE.requestCreated(id)), "creation of " + id);
                if (expectedChange) {
                    m.expected.put(id, new ExpectedRequest());
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }));
    }

    private static Action.Independent<Machine> answer() {
        return () -> Combinators.combine(Arbitraries.of(REQUEST_IDS), Arbitraries.integers().between(1, CUSTODIANS),
                Arbitraries.of(Decision.APPROVE, Decision.APPROVE, Decision.DENY)).as((id, custodian, decision) ->
                step("answer " + id + " custodian-" + custodian + " " + decision, m -> {
                    ExpectedRequest r = m.expected.get(id);
                    boolean open = r != null && !r.state.isTerminal() && m.now.isBefore(EXPIRES);
                    Decision previous = r == null ? null : r.answers.get(custodian);
                    boolean counts = open && !r.conflicted.contains(custodian)
                            && (previous == null || previous != decision);
                    assertEquals(counts, m.offer(new CoordinatorEvent.AnswerCounted(NODE_OF[custodian - 1],
                            FIXTURE.answer(id, custodian, decision))), "whether the answer counted");
                    if (counts) {
                        if (previous == null) {
                            r.answers.put(custodian, decision);
                        } else {
                            r.answers.put(custodian, Decision.DENY);
                            r.conflicted.add(custodian);
                        }
                    }
                }));
    }

    private static Action.Independent<Machine> release() {
        return () -> Combinators.combine(Arbitraries.of(REQUEST_IDS), Arbitraries.integers().between(1, CUSTODIANS))
                .as((id, index) -> step("release " + id + " share " + index, m -> {
                    ExpectedRequest r = m.expected.get(id);
                    boolean accepted = r != null && !r.released.contains(index);
                    assertEquals(accepted, m.offer(new CoordinatorEvent.ReleaseAccepted(id, index, NODE_OF[index - 1],
                            "c".repeat(64))), "release of share " + index);
                    if (accepted) {
                        r.released.add(index);
                    }
                }));
    }

    /** A state change proposed whatever the count says: the ledger decides. */
    private static Action.Independent<Machine> propose() {
        return () -> Combinators.combine(Arbitraries.of(REQUEST_IDS), Arbitraries.of(PROPOSED)).as((id, next) ->
                step("propose " + id + " " + next, m -> {
                    ExpectedRequest r = m.expected.get(id);
                    boolean moves = r != null && r.state != next && r.state.successors().contains(next)
                            && (next != RequestState.APPROVED || r.approved())
                            && (next != RequestState.DENIED || r.denied());
                    assertEquals(moves, m.offer(new CoordinatorEvent.RequestStateChanged(id, next, "proposed")),
                            id + " " + (r == null ? "unknown" : r.state + " with " + r.approvals() + " approvals")
                                    + " -> " + next);
                    if (moves) {
                        r.state = next;
                    }
                }));
    }

    private static Action.Independent<Machine> pastExpiry() {
        return () -> Arbitraries.just(step("the clock passes expiry", m -> m.now = EXPIRES.plusSeconds(1)));
    }

    private static Action.Independent<Machine> restart() {
        return () -> Arbitraries.just(step("restart from the journal", m -> {
            CoordinatorLedger replayed = new CoordinatorLedger(FIXTURE.registry, FIXTURE.coordinator.publicKey());
            for (Journaled j : m.journal) {
                replayed.apply(j.event(), j.at());
            }
            assertArrayEquals(m.ledger.stateDigest(), replayed.stateDigest(), "the replayed ledger differs");
            m.ledger = replayed;
        }));
    }

    private static void check(Machine m, String after) {
        for (String id : REQUEST_IDS) {
            ExpectedRequest r = m.expected.get(id);
            var view = m.ledger.request(id, m.now);
            assertEquals(r != null, view.isPresent(), id + " known after " + after);
            if (r == null) {
                continue;
            }
            assertEquals(r.shown(m.now), view.get().state(), id + " after " + after);
            assertEquals(r.approvers(), view.get().approvers(), id + " approvers after " + after);
            assertEquals(r.released, view.get().releases().keySet(), id + " releases after " + after);
        }
    }

    @Provide
    Arbitrary<ActionChain<Machine>> chains() {
        return ActionChain.startWith(Machine::new)
                .withAction(2, create())
                .withAction(6, answer())
                .withAction(2, release())
                .withAction(3, propose())
                .withAction(1, pastExpiry())
                .withAction(1, restart())
                .withMaxTransformations(40);
    }

    @Property(tries = 120)
    void theLedgerFollowsTheQuorumModel(@ForAll("chains") ActionChain<Machine> chain) {
        chain.run();
    }
}
