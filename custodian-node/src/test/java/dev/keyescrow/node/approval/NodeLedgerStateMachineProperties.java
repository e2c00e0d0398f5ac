package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.wire.CancelMessage;
import dev.keyescrow.node.Ceremony;
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
 * The node's quorum rules as a state machine: random sequences of admissions, answers (given
 * here or relayed from other nodes, approving or denying, repeated, conflicting, forged),
 * releases, cancellations, the clock passing expiry and restarts from the journal, run
 * against a real {@link NodeLedger} and checked after every step against a model small enough
 * to read: a request is APPROVED with t distinct approvals, DENIED once more than n − t
 * custodians denied (a custodian who answered both ways counts as a denial), a share is due
 * only for an approved, uncancelled request and released once, and nothing refused changes
 * anything. An approval can be withdrawn by answering the other way until the request is
 * decided for good (denied, cancelled or expired): the node then owes nothing until t
 * approvals stand again. The key is the fixture's 3-of-5 with custodians 1 and 2 (shares 1 and 2) here.
 */
class NodeLedgerStateMachineProperties {
    private static final int THRESHOLD = 3;
    private static final int CUSTODIANS = 5;
    private static final List<String> REQUEST_IDS = List.of("req-a", "req-b", "req-c");
    private static final Instant EXPIRES = Ceremony.NOW.plusSeconds(600);
    private static final Ceremony CEREMONY = newCeremony();

    private static Ceremony newCeremony() {
        try {
            return new Ceremony(new SecureRandom(), "payments-key");
        } catch (Exception e) {
            throw new AssertionError("cannot build the ceremony fixture", e);
        }
    }

    /** What the model expects of one admitted request. */
    static final class ExpectedRequest {
        final CanonicalRequest request;
        final Map<Integer, Decision> answers = new TreeMap<>();
        final Set<Integer> conflicted = new TreeSet<>();
        final Set<Integer> released = new TreeSet<>();
        boolean cancelled;

        ExpectedRequest(CanonicalRequest request) {
            this.request = request;
        }

        long approvals() {
            return answers.values().stream().filter(d -> d == Decision.APPROVE).count();
        }

        long denials() {
            return answers.size() - approvals();
        }

        RequestState state(Instant now) {
            if (cancelled) {
                return RequestState.CANCELLED;
            }
            if (approvals() >= THRESHOLD) {
                return RequestState.APPROVED;
            }
            if (CUSTODIANS - denials() < THRESHOLD) {
                return RequestState.DENIED;
            }
            return now.isBefore(EXPIRES) ? RequestState.PENDING : RequestState.EXPIRED;
        }

        List<Integer> due() {
            List<Integer> due = new ArrayList<>();
            if (!cancelled && approvals() >= THRESHOLD) {
                for (int index = 1; index <= 2; index++) {
                    if (!released.contains(index)) {
                        due.add(index);
                    }
                }
            }
            return due;
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

    /** The ledger under test, its journal, the clock, and the model. */
    static final class Machine {
        NodeLedger ledger;
        final List<NodeEvent> journal = new ArrayList<>();
        final Map<String, CanonicalRequest> issued = new TreeMap<>();
        final Map<String, ExpectedRequest> expected = new TreeMap<>();
        Instant now = Ceremony.NOW.plusSeconds(5);
        int refusals;

        Machine() {
            ledger = new NodeLedger("node-a", CEREMONY.coordinator.publicKey());
            for (String id : REQUEST_IDS) {
                issued.put(id, CEREMONY.useRequest(id));
            }
            try {
                offer(CEREMONY.manifestEvent());
                for (int c = 1; c <= CUSTODIANS; c++) {
                    offer(CEREMONY.countersignature(c));
                }
                offer(Ceremony.held("payments-key", 1, 1));
                offer(Ceremony.held("payments-key", 1, 2));
            } catch (Exception e) {
                throw new AssertionError("cannot enrol the fixture's key", e);
            }
            assertEquals(0, refusals, "the fixture's ceremony is accepted");
        }

        /** validate → journal → apply, as the service does; whether the event changed anything. */
        boolean offer(NodeEvent event) {
            try {
                if (ledger.validate(event, now)) {
                    journal.add(event);
                    ledger.apply(event);
                    return true;
                }
                return false;
            } catch (NodeRefusedException refused) {
                refusals++;
                return false;
            }
        }

        @Override
        public String toString() {
            return "Machine[" + expected.size() + " requests, " + journal.size() + " records, " + refusals
                    + " refusals]";
        }
    }

    private static Transformer<Machine> step(String description, java.util.function.Consumer<Machine> step) {
        return Transformer.mutate(description, machine -> {
            byte[] before = machine.ledger.stateDigest();
            int journaled = machine.journal.size();
            step.accept(machine);
            if (machine.journal.size() == journaled) {
                assertArrayEquals(before, machine.ledger.stateDigest(), description + " journaled nothing but changed the ledger");
            }
            checkAgainstModel(machine, description);
        });
    }

    private static Action.Independent<Machine> admit() {
        return () -> Arbitraries.of(REQUEST_IDS).map(id -> step("admit " + id, m -> {
            try {
                boolean changed = m.offer(CEREMONY.requestEvent(m.issued.get(id)));
                boolean expectedChange = !m.expected.containsKey(id) && m.now.isBefore(EXPIRES);
                assertEquals(expectedChange, changed, "admission of " + id);
                if (changed) {
                    m.expected.put(id, new ExpectedRequest(m.issued.get(id)));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }));
    }

    private static Action.Independent<Machine> answer() {
        return () -> Combinators.combine(Arbitraries.of(REQUEST_IDS), Arbitraries.integers().between(1, CUSTODIANS),
                Arbitraries.of(Decision.APPROVE, Decision.APPROVE, Decision.DENY), Arbitraries.of(true, false))
                .as((id, custodian, decision, claimLocal) -> step("answer " + id + " custodian-" + custodian + " "
                        + decision + (claimLocal ? " here" : " relayed"), m -> {
                    Approval approval = CEREMONY.answer(m.issued.get(id), custodian, decision);
                    ExpectedRequest r = m.expected.get(id);
                    boolean here = custodian <= 2;
                    boolean accepted = m.offer(new NodeEvent.AnswerAccepted(approval, claimLocal));
                    // an answer given here must come from a custodian whose share is here
                    // answers count until the request is decided for good: an APPROVED request still takes a
                    // conflicting answer (its custodian then counts as a denial, so a node that has not
                    // released yet no longer owes a release)
                    RequestState before = r == null ? null : r.state(m.now);
                    boolean open = (before == RequestState.PENDING || before == RequestState.APPROVED)
                            && m.now.isBefore(EXPIRES) && (here || !claimLocal);
                    Decision previous = r == null ? null : r.answers.get(custodian);
                    boolean counts = open && (previous == null || (previous != decision && !r.conflicted.contains(custodian)));
                    assertEquals(counts, accepted, "whether the answer counted");
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

    /** An answer signed with another custodian's key, or with the right key over another request. */
    private static Action.Independent<Machine> forgedAnswer() {
        return () -> Combinators.combine(Arbitraries.of(REQUEST_IDS), Arbitraries.integers().between(1, CUSTODIANS),
                Arbitraries.of(true, false)).as((id, custodian, wrongKey) -> step("forged answer " + id
                + " custodian-" + custodian + (wrongKey ? " under another key" : " from another request"), m -> {
                    CanonicalRequest request = m.issued.get(id);
                    Approval forged;
                    if (wrongKey) {
                        Approval other = CEREMONY.answer(request, custodian % CUSTODIANS + 1, Decision.APPROVE);
                        forged = new Approval(id, other.requestDigest(), "custodian-" + custodian, Decision.APPROVE,
                                other.signature());
                    } else {
                        String elsewhere = REQUEST_IDS.get((REQUEST_IDS.indexOf(id) + 1) % REQUEST_IDS.size());
                        Approval other = CEREMONY.answer(m.issued.get(elsewhere), custodian, Decision.APPROVE);
                        forged = new Approval(id, request.digest(), "custodian-" + custodian, Decision.APPROVE,
                                other.signature());
                    }
                    assertFalse(m.offer(new NodeEvent.AnswerAccepted(forged, false)), "a forged answer counts nowhere");
                }));
    }

    private static Action.Independent<Machine> release() {
        return () -> Combinators.combine(Arbitraries.of(REQUEST_IDS), Arbitraries.integers().between(1, 2))
                .as((id, index) -> step("release " + id + " share " + index, m -> {
                    ExpectedRequest r = m.expected.get(id);
                    boolean due = r != null && r.due().contains(index);
                    assertEquals(due, m.offer(Ceremony.released(id, index)), "whether share " + index + " was due");
                    if (due) {
                        assertTrue(r.approvals() >= THRESHOLD, "due with " + r.approvals() + " approvals");
                        r.released.add(index);
                    }
                }));
    }

    private static Action.Independent<Machine> cancel() {
        return () -> Combinators.combine(Arbitraries.of(REQUEST_IDS), Arbitraries.of(true, false))
                .as((id, signedByCoordinator) -> step("cancel " + id + (signedByCoordinator ? "" : " (forged)"), m -> {
                    try {
                        CanonicalRequest request = m.issued.get(id);
                        String digest = new CancelMessage(id, request.digest(), new byte[64]).digest();
                        byte[] signature = CoordinatorStatement.sign(signedByCoordinator ? CEREMONY.coordinator
                                : dev.keyescrow.core.signature.SoftwareP256Signer.generate(new SecureRandom()),
                                CoordinatorStatement.Kind.CANCEL, digest);
                        ExpectedRequest r = m.expected.get(id);
                        boolean applies = signedByCoordinator && r != null && !r.cancelled;
                        assertEquals(applies, m.offer(new NodeEvent.RequestCancelled(id, signature)), "cancel " + id);
                        if (applies) {
                            r.cancelled = true;
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
    }

    private static Action.Independent<Machine> pastExpiry() {
        return () -> Arbitraries.just(step("the clock passes expiry", m -> m.now = EXPIRES.plusSeconds(1)));
    }

    /** A new ledger from the journal alone, at a clock long after expiry: replay must not depend on it. */
    private static Action.Independent<Machine> restart() {
        return () -> Arbitraries.just(step("restart from the journal", m -> {
            NodeLedger replayed = new NodeLedger("node-a", CEREMONY.coordinator.publicKey());
            for (NodeEvent event : m.journal) {
                replayed.apply(event);
            }
            assertArrayEquals(m.ledger.stateDigest(), replayed.stateDigest(), "the replayed ledger differs");
            m.ledger = replayed;
        }));
    }

    private static void checkAgainstModel(Machine m, String after) {
        for (String id : REQUEST_IDS) {
            ExpectedRequest r = m.expected.get(id);
            if (r == null) {
                try {
                    m.ledger.view(id, m.now);
                    fail(id + " is known but was never admitted (after " + after + ")");
                } catch (NodeRefusedException expectedUnknown) {
                    continue;
                }
            }
            try {
                var view = m.ledger.view(id, m.now);
                assertEquals(r.state(m.now), view.state(), id + " after " + after);
                assertEquals(r.approvers(), Set.copyOf(view.approvers()), id + " approvers after " + after);
                assertEquals(r.due(), m.ledger.dueReleases(id), id + " due releases after " + after);
                List<Integer> released = m.ledger.releases(id).stream().map(NodeEvent.ShareReleased::index).toList();
                assertEquals(List.copyOf(r.released), released.stream().sorted().toList(), id + " releases");
                assertEquals(released.size(), Set.copyOf(released).size(), "a share released twice for " + id);
            } catch (NodeRefusedException e) {
                throw new AssertionError(id + " was admitted but the ledger does not know it", e);
            }
        }
        Map<String, List<Integer>> due = new TreeMap<>();
        m.expected.forEach((id, r) -> {
            if (!r.due().isEmpty()) {
                due.put(id, r.due());
            }
        });
        assertEquals(due, m.ledger.allDueReleases(), "all due releases after " + after);
    }

    @Provide
    Arbitrary<ActionChain<Machine>> chains() {
        return ActionChain.startWith(Machine::new)
                .withAction(2, admit())
                .withAction(6, answer())
                .withAction(1, forgedAnswer())
                .withAction(2, release())
                .withAction(1, cancel())
                .withAction(1, pastExpiry())
                .withAction(1, restart())
                .withMaxTransformations(40);
    }

    @Property(tries = 120)
    void theLedgerFollowsTheQuorumModel(@ForAll("chains") ActionChain<Machine> chain) {
        chain.run();
    }
}
