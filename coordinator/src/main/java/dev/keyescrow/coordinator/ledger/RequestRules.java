package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.AnswerOutcome;
import dev.keyescrow.core.policy.AnswerRefusedException;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.server.checkpoint.StateDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The requests aggregate: requests signed by the coordinator, the answers its own tally
 * counts, their state changes (APPROVED and DENIED only as the tally says, whoever proposes
 * them) and the signatures a SIGN request made.
 */
final class RequestRules {
    private final KeyVersionRules versions;
    private final CustodianRules custodians;
    private final byte[] coordinatorPublicKey;
    private final Map<String, RequestEntry> requests = new LinkedHashMap<>();
    /**
     * The answer the last validation checked (signature included): applying that same answer
     * object right after does not verify it again. Replay checks every answer.
     */
    private QuorumTally.CheckedAnswer lastChecked;

    RequestRules(KeyVersionRules versions, CustodianRules custodians, byte[] coordinatorPublicKey) {
        this.versions = versions;
        this.custodians = custodians;
        this.coordinatorPublicKey = coordinatorPublicKey;
    }

    boolean validate(CoordinatorEvent event, Instant now) throws RefusedException {
        if (event instanceof CoordinatorEvent.RequestCreated r) {
            return validateRequest(r, now);
        } else if (event instanceof CoordinatorEvent.AnswerCounted a) {
            RequestEntry entry = request(a.approval().requestId());
            custodians.requireNotRetired(a.approval().custodianId(), "answer", RefusalReason.INVALID);
            if (entry.state.isTerminal()) {
                throw new RefusedException(RefusalReason.WRONG_STATE, "request " + entry.request.requestId() + " is "
                        + entry.state);
            }
            try {
                lastChecked = entry.tally.check(a.approval(), now);
                return entry.tally.outcomeOf(lastChecked) != AnswerOutcome.REPEATED;
            } catch (AnswerRefusedException e) {
                throw new RefusedException(e.reason() == AnswerRefusedException.Reason.EXPIRED ? RefusalReason.EXPIRED
                        : RefusalReason.BAD_SIGNATURE, e.getMessage());
            }
        } else if (event instanceof CoordinatorEvent.SignaturesMade m) {
            return validateSignatures(m);
        } else if (event instanceof CoordinatorEvent.RequestStateChanged s) {
            return validateStateChange(s);
        }
        throw new IllegalArgumentException("not a request event: " + event.type());
    }

    private boolean validateSignatures(CoordinatorEvent.SignaturesMade m) throws RefusedException {
        RequestEntry entry = request(m.requestId());
        if (!(entry.request.params() instanceof RequestParams.Sign sign) || entry.state != RequestState.APPROVED) {
            throw new RefusedException(RefusalReason.WRONG_STATE, "request " + m.requestId()
                    + " is no approved SIGN request");
        }
        byte[] groupKey = manifestOf(entry.request).frost().groupPublicKey();
        List<byte[]> signatures = m.signatures();
        if (signatures.size() != sign.count()) {
            throw new RefusedException(RefusalReason.INVALID, "one signature per message");
        }
        for (int j = 0; j < signatures.size(); j++) {
            byte[] message = sign.message(j);
            if (signatures.get(j).length != 64 || !org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
                    signatures.get(j), 0, groupKey, 0, message, 0, message.length)) {
                throw new RefusedException(RefusalReason.INVALID, "signature " + (j + 1) + " of " + m.requestId()
                        + " does not verify under the group public key");
            }
        }
        return entry.signatures.isEmpty();
    }

    private boolean validateStateChange(CoordinatorEvent.RequestStateChanged s) throws RefusedException {
        RequestEntry entry = request(s.requestId());
        if (entry.state == s.state()) {
            return false;
        }
        if (!entry.state.successors().contains(s.state())) {
            throw new RefusedException(RefusalReason.WRONG_STATE, "request " + s.requestId() + " is "
                    + entry.state + " and cannot become " + s.state());
        }
        // the quorum rule lives here, not only in the workflow that proposes the change
        QuorumTally.Verdict verdict = entry.tally.verdict();
        if (s.state() == RequestState.APPROVED && verdict != QuorumTally.Verdict.APPROVED
                || s.state() == RequestState.DENIED && verdict != QuorumTally.Verdict.DENIED) {
            throw new RefusedException(RefusalReason.WRONG_STATE, "request " + s.requestId() + " has "
                    + entry.tally.approvers().size() + " of " + entry.tally.threshold() + " approvals counted ("
                    + verdict + ") and cannot become " + s.state());
        }
        return true;
    }

    private boolean validateRequest(CoordinatorEvent.RequestCreated r, Instant now) throws RefusedException {
        CanonicalRequest request;
        try {
            request = CanonicalRequest.parse(r.canonical().getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        }
        try {
            CoordinatorStatement.verify(coordinatorPublicKey, Kind.REQUEST, request.digest(), r.coordinatorSignature());
        } catch (SignatureException e) {
            throw new RefusedException(RefusalReason.BAD_SIGNATURE, "request signature: " + e.getMessage());
        }
        RequestEntry existing = requests.get(request.requestId());
        if (existing != null) {
            if (existing.request.digest().equals(request.digest())) {
                return false;
            }
            throw new RefusedException(RefusalReason.CONFLICT, "request " + request.requestId() + " exists");
        }
        VersionEntry entry = versions.version(request.keyId(), request.version());
        checkOperationAllowed(request.operation(), entry);
        if (request.isExpiredAt(now)) {
            throw new RefusedException(RefusalReason.EXPIRED, "request " + request.requestId() + " has expired");
        }
        return true;
    }

    /** Which key states each operation may start from (design: Requests; NIST SP 800-57). */
    private static void checkOperationAllowed(Operation operation, VersionEntry entry) throws RefusedException {
        if (entry.manifest.scheme() == KeyScheme.FROST && switch (operation) {
            case USE, EXPORT, REFRESH, RESHARE -> true;
            default -> false;
        }) {
            // each of these rebuilds the key from its shares; a FROST key is never rebuilt
            throw new RefusedException(RefusalReason.INVALID, operation + " is not available for "
                    + entry.manifest.keyId() + ": it is a FROST key, which is never rebuilt (it only signs by quorum;"
                    + " ROTATE makes a new key by DKG; DESTROY and COMPROMISE work as for every key)");
        }
        if (operation == Operation.SIGN && entry.manifest.scheme() != KeyScheme.FROST) {
            throw new RefusedException(RefusalReason.INVALID, "SIGN is for FROST keys; " + entry.manifest.keyId()
                    + " is a SHAMIR key: request USE and sign in its session");
        }
        KeyState state = entry.state;
        boolean allowed = switch (operation) {
            case USE, EXPORT -> state.processes();
            case SIGN -> state == KeyState.ACTIVE;
            case ROTATE, REFRESH, RESHARE -> state == KeyState.ACTIVE;
            case COMPROMISE -> state == KeyState.ACTIVE || state == KeyState.DEACTIVATED;
            case DESTROY -> state != KeyState.PRE_ACTIVE && state != KeyState.DESTROYED;
        };
        if (!allowed) {
            throw new RefusedException(RefusalReason.WRONG_STATE, operation + " is not allowed while "
                    + entry.manifest.keyId() + " v" + entry.manifest.version() + " is " + state);
        }
    }

    void apply(CoordinatorEvent event, Instant at) {
        if (event instanceof CoordinatorEvent.RequestCreated r) {
            CanonicalRequest request = parseRequestUnchecked(r.canonical());
            Manifest manifest = manifestOf(request);
            RequestEntry entry = new RequestEntry(request, r.canonical(), r.coordinatorSignature().clone(),
                    r.sealedKey(), r.ephemeralEnvelope() == null ? null : r.ephemeralEnvelope().clone(),
                    QuorumTally.start(request, manifest));
            entry.history.add(new Transition(RequestState.PENDING.name(), "signed and published", at));
            requests.put(request.requestId(), entry);
        } else if (event instanceof CoordinatorEvent.AnswerCounted a) {
            applyAnswer(a);
        } else if (event instanceof CoordinatorEvent.SignaturesMade m) {
            requests.get(m.requestId()).signatures = m.signatures();
        } else if (event instanceof CoordinatorEvent.RequestStateChanged s) {
            RequestEntry entry = requests.get(s.requestId());
            entry.state = s.state();
            entry.history.add(new Transition(s.state().name(), s.reason(), at));
        } else {
            throw new IllegalArgumentException("not a request event: " + event.type());
        }
    }

    private void applyAnswer(CoordinatorEvent.AnswerCounted a) {
        RequestEntry entry = requests.get(a.approval().requestId());
        try {
            // validated before it was journaled; replayed at the request's creation time so an
            // answer given before expiry still counts when the journal is replayed after it
            QuorumTally.CheckedAnswer checked = lastChecked;
            lastChecked = null;
            entry.tally = checked != null && checked.approval() == a.approval() && entry.tally.accepts(checked)
                    ? entry.tally.with(checked) : entry.tally.with(a.approval(), entry.request.createdAt());
            entry.answers.add(new AuditSignatures.Answer(a.nodeId(), a.approval()));
            if (a.approval().decision() == Decision.DENY) {
                entry.deniers.add(a.approval().custodianId());
            }
        } catch (AnswerRefusedException e) {
            throw new IllegalStateException("a journaled answer no longer verifies: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- lookups for the other rules

    RequestEntry request(String requestId) throws RefusedException {
        RequestEntry entry = requests.get(requestId);
        if (entry == null) {
            throw new RefusedException(RefusalReason.NOT_FOUND, "no request " + requestId);
        }
        return entry;
    }

    /** A request that an event already validated against: it exists. */
    RequestEntry existing(String requestId) {
        return requests.get(requestId);
    }

    Manifest manifestOf(CanonicalRequest request) {
        return versions.existing(request.keyId(), request.version()).manifest;
    }

    /** The RESHAREs not over yet that name {@code custodianId} among their new holders. */
    List<String> usesOf(String custodianId) {
        List<String> uses = new ArrayList<>();
        requests.values().forEach(e -> {
            if (!e.state.isTerminal() && e.request.params() instanceof RequestParams.Reshare reshare
                    && reshare.holders().stream().anyMatch(h -> h.custodianId().equals(custodianId))) {
                uses.add("RESHARE " + e.request.requestId() + " of " + e.request.keyId() + " (" + e.state + ")");
            }
        });
        return uses;
    }

    // ---------------------------------------------------------------- queries

    boolean isRecordedAnswerOfFinishedRequest(Approval approval) {
        RequestEntry entry = requests.get(approval.requestId());
        if (entry == null || !entry.state.isTerminal()) {
            return false;
        }
        try {
            QuorumTally.CheckedAnswer checked = entry.tally.check(approval, entry.request.createdAt());
            return entry.tally.outcomeOf(checked) == AnswerOutcome.REPEATED
                    || entry.tally.conflicted().contains(approval.custodianId());
        } catch (AnswerRefusedException e) {
            return false;
        }
    }

    /** Every answer counted and shred receipt, in the order of requests. */
    void collectSignatures(List<AuditSignatures.Answer> answers, List<CoordinatorEvent.ShredVerified> shreds) {
        requests.values().forEach(e -> {
            answers.addAll(e.answers);
            shreds.addAll(e.shreds);
        });
    }

    Optional<RequestView> view(String requestId, Instant now) {
        RequestEntry entry = requests.get(requestId);
        return entry == null ? Optional.empty() : Optional.of(view(entry, now));
    }

    List<RequestView> views(Instant now) {
        return requests.values().stream().map(e -> view(e, now)).toList();
    }

    Optional<String> sealedKey(String requestId) {
        RequestEntry entry = requests.get(requestId);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.sealedKey);
    }

    Optional<byte[]> inlineEnvelope(String requestId) {
        RequestEntry entry = requests.get(requestId);
        return entry == null || entry.ephemeralEnvelope == null ? Optional.empty()
                : Optional.of(entry.ephemeralEnvelope.clone());
    }

    Optional<QuorumTally.Verdict> verdict(String requestId) {
        RequestEntry entry = requests.get(requestId);
        return entry == null ? Optional.empty() : Optional.of(entry.tally.verdict());
    }

    List<String> dueExpiries(Instant now) {
        List<String> due = new ArrayList<>();
        requests.forEach((id, e) -> {
            if (e.awaitsQuorum() && e.request.isExpiredAt(now)) {
                due.add(id);
            }
        });
        return due;
    }

    private static RequestView view(RequestEntry e, Instant now) {
        RequestState state = e.awaitsQuorum() && e.request.isExpiredAt(now) ? RequestState.EXPIRED : e.state;
        Set<String> deniers = new TreeSet<>(e.deniers);
        deniers.addAll(e.tally.conflicted());
        return new RequestView(e.request, e.canonical, e.signature, state, e.history, e.tally.approvers(),
                deniers, e.tally.threshold(), e.releases, e.badReleases, e.shreddedNodes, e.signatures);
    }

    /** Every request, by id. */
    void digest(StateDigest d) {
        for (String id : new TreeSet<>(requests.keySet())) {
            RequestEntry r = requests.get(id);
            d.field("request").field(id).field(r.canonical).field(r.signature)
                    .field(r.sealedKey == null ? "-" : r.sealedKey)
                    .field(r.ephemeralEnvelope == null ? new byte[0] : r.ephemeralEnvelope).field(r.state.name());
            r.history.forEach(t -> CoordinatorLedger.digest(d, t));
            r.releases.forEach((index, node) -> d.field("release").field(index).field(node));
            r.badReleases.forEach(b -> d.field("bad").field(b.index()).field(b.nodeId()).field(b.problem()));
            r.shreddedNodes.forEach(n -> d.field("shred").field(n));
            r.deniers.forEach(n -> d.field("denier").field(n));
            r.tally.answers().forEach((custodian, decision) -> d.field(custodian).field(decision.name()));
            r.tally.conflicted().forEach(c -> d.field("conflicted").field(c));
        }
    }

    private static CanonicalRequest parseRequestUnchecked(String canonical) {
        try {
            return CanonicalRequest.parse(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new IllegalStateException("a validated request no longer parses", e);
        }
    }
}
