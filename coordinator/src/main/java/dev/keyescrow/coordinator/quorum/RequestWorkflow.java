package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ceremony.DkgCeremony;
import dev.keyescrow.coordinator.ceremony.KeyCeremony;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.ledger.BadRelease;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.coordinator.session.KeySession;
import dev.keyescrow.coordinator.session.KeySessions;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.FrostCallMessage;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Drives requests from PENDING to a terminal state (design: Requests).
 *
 * <p>Answers from the cluster are counted with the core's {@link QuorumTally} (the
 * coordinator's own view: nodes decide releases on their own count). Releases are verified
 * one by one ({@link ReleaseIntake}); a bad one is journaled by index and node and never
 * combined. Once APPROVED, a request moves on through the handler of its operation:
 * {@link UseHandler} (the key rebuilt by the one {@link Reconstruction} step, commitments and
 * KCV checked, goes to its USE session), {@link ExportHandler} (never reconstructed here: the
 * nodes' signed releases, wrapped to the recipient, become the bundle), {@link RotateHandler},
 * {@link ReshareHandler} (REFRESH and RESHARE), {@link DestroyHandler}, {@link SignHandler}
 * (FROST rounds); COMPROMISE marks the version. Any terminal state zeroes whatever the request
 * still held ({@link RequestLifecycle}).
 *
 * <p>Thread-safe: cluster input, HTTP calls and the periodic sweep may arrive concurrently;
 * request bookkeeping is serialised on this object, whose monitor the handlers run under
 * (the background ceremonies take it to finish their request).
 */
public final class RequestWorkflow {
    private final CoordinatorService service;
    private final EphemeralKeys keys;
    private final EphemeralKeyVault vault;
    private final SealedKeyStore sealedKeys;
    private final KeySessions sessions;
    private final Consumer<String> problems;
    private final RequestLifecycle lifecycle;
    private final ReleaseIntake releases;
    private final ExportHandler exports;
    private final ReshareHandler reshares;
    private final SignHandler signs;
    private final Map<Operation, OperationHandler> handlers = new EnumMap<>(Operation.class);
    private final LongAdder republishedAnswers = new LongAdder();
    private volatile Consumer<CanonicalRequest> onCancelled = r -> { };
    private volatile Consumer<RequestView> onOpenAtRestart = r -> { };

    public RequestWorkflow(CoordinatorService service, ReleaseVerifier verifier, EphemeralKeys keys,
            EphemeralKeyVault vault, SealedKeyStore sealedKeys, KeySessions sessions, KeyCeremony ceremony,
            DkgCeremony dkg, ExecutorService background, SecureRandom random, Consumer<String> problems) {
        this.service = service;
        this.keys = keys;
        this.vault = vault;
        this.sealedKeys = sealedKeys;
        this.sessions = sessions;
        this.problems = problems;
        this.lifecycle = new RequestLifecycle(this, service, keys, sealedKeys, problems);
        this.signs = new SignHandler(lifecycle);
        Reconstruction reconstruction = new Reconstruction(verifier, keys, lifecycle);
        this.exports = new ExportHandler(verifier, keys, lifecycle);
        this.reshares = new ReshareHandler(reconstruction, ceremony, background, lifecycle);
        this.releases = new ReleaseIntake(lifecycle, keys, reconstruction, exports);
        handlers.put(Operation.USE, new UseHandler(reconstruction, sessions, lifecycle));
        handlers.put(Operation.EXPORT, exports);
        handlers.put(Operation.COMPROMISE, this::compromise);
        handlers.put(Operation.ROTATE, new RotateHandler(ceremony, dkg, background, lifecycle));
        handlers.put(Operation.DESTROY, new DestroyHandler(lifecycle));
        handlers.put(Operation.REFRESH, reshares);
        handlers.put(Operation.RESHARE, reshares);
        handlers.put(Operation.SIGN, signs);
        if (handlers.size() != Operation.values().length) {
            throw new IllegalStateException("an operation has no handler");
        }
    }

    /**
     * Told, at restart, of every request still open: the coordinator may have crashed between
     * journaling it and publishing it, so it is published again (publishing is idempotent).
     */
    public void onOpenAtRestart(Consumer<RequestView> listener) {
        this.onOpenAtRestart = listener;
    }

    /** Told of every cancelled request, after it was journaled, so the nodes can be told too. */
    public void onCancelled(Consumer<CanonicalRequest> listener) {
        this.onCancelled = listener;
    }

    /**
     * Lets SIGN requests run: {@code identity} signs the round calls that {@code publish} puts
     * on the cluster; {@code nodes} pins the node keys that commitments and shares must carry.
     */
    public synchronized void enableSigning(NodeRegistry nodes, Signer identity, Consumer<FrostCallMessage> publish) {
        signs.enable(new FrostSigning(nodes, identity, publish));
    }

    // ---------------------------------------------------------------- cluster input

    /** A node's SIGN commitment; never throws for bad input. */
    public void onFrostCommitment(byte[] value) {
        try {
            FrostCommitmentMessage c = FrostCommitmentMessage.decode(value);
            synchronized (this) {
                if (!signs.onCommitment(c)) {
                    return;
                }
            }
            advance(c.requestId());
        } catch (FormatException | IllegalArgumentException | FrostSigning.BadInput e) {
            problems.accept("SIGN commitment refused: " + e.getMessage());
        } catch (IOException | KeyEscrowException e) {
            problems.accept("SIGN commitment not handled: " + e.getMessage());
        }
    }

    /** A node's SIGN signature shares; never throws for bad input. */
    public void onFrostShare(byte[] value) {
        try {
            FrostShareMessage m = FrostShareMessage.decode(value);
            synchronized (this) {
                if (!signs.onShare(m)) {
                    return;
                }
            }
            advance(m.requestId());
        } catch (FormatException | IllegalArgumentException | FrostSigning.BadInput e) {
            problems.accept("SIGN signature share refused: " + e.getMessage());
        } catch (IOException | KeyEscrowException e) {
            problems.accept("SIGN signature share not handled: " + e.getMessage());
        }
    }

    /**
     * Answers received again for requests already finished, identical to the ones counted (a
     * node re-publishes its custodians' answers when it restarts): counted here, not as problems.
     */
    public long republishedAnswers() {
        return republishedAnswers.sum();
    }

    /** A custodian's answer published by a node; never throws for bad input. */
    public void onAnswer(byte[] value) {
        AnswerMessage answer;
        try {
            answer = AnswerMessage.decode(value);
        } catch (FormatException | IllegalArgumentException e) {
            problems.accept("answer refused: " + e.getMessage());
            return;
        }
        String requestId = answer.approval().requestId();
        try {
            boolean conflicting = conflictsWithEarlierAnswer(answer);
            boolean counted = service.submit(new CoordinatorEvent.AnswerCounted(answer.nodeId(), answer.approval()));
            if (conflicting && counted) {
                problems.accept("ALERT: custodian " + answer.approval().custodianId() + " gave conflicting answers "
                        + "to request " + requestId + " (the last at node " + answer.nodeId() + "); counted as DENY");
            }
            advance(requestId);
        } catch (RefusedException e) {
            if (e.reason() == RefusalReason.NOT_FOUND) {
                return;
            }
            if (e.reason() == RefusalReason.WRONG_STATE
                    && service.isRecordedAnswerOfFinishedRequest(answer.approval())) {
                // a node that restarted publishes its custodians' answers again: routine, not a problem
                republishedAnswers.increment();
                return;
            }
            problems.accept("answer of " + answer.approval().custodianId() + " refused: " + e.getMessage());
        } catch (IOException | KeyEscrowException e) {
            problems.accept("answer not journaled: " + e.getMessage());
        }
    }

    /**
     * A custodian whose answers conflict counts as DENY (the tally does that) and
     * raises an alert. The caller alerts only once the answer verified and was journaled, so a
     * forged answer cannot raise it.
     */
    private boolean conflictsWithEarlierAnswer(AnswerMessage answer) {
        String custodian = answer.approval().custodianId();
        return service.request(answer.approval().requestId()).map(view ->
                answer.approval().decision() == Decision.APPROVE ? view.deniers().contains(custodian)
                        : view.approvers().contains(custodian)).orElse(false);
    }

    /** A release published by a node; never throws for bad input. */
    public void onRelease(byte[] value) {
        onReleases(List.of(value));
    }

    /**
     * Releases that waited together in the cluster worker's queue: each is checked as it would
     * be alone, then the accepted ones are journaled together ({@link CoordinatorService#submitAll}:
     * one fsync for the lot instead of one each), then each request named moves on. Never
     * throws for bad input.
     */
    public void onReleases(List<byte[]> values) {
        Set<String> requestIds;
        synchronized (this) {
            requestIds = releases.take(values);
        }
        for (String requestId : requestIds) {
            try {
                advance(requestId);
            } catch (IOException | KeyEscrowException e) {
                problems.accept("request " + requestId + " not advanced: " + e.getMessage());
            }
        }
    }

    /** A node's shred receipt; never throws for bad input. */
    public void onShred(byte[] value) {
        ShredReceiptMessage receipt;
        try {
            receipt = ShredReceiptMessage.decode(value);
        } catch (FormatException | IllegalArgumentException e) {
            problems.accept("shred receipt refused: " + e.getMessage());
            return;
        }
        try {
            Optional<RequestView> view = service.request(receipt.requestId());
            Operation operation = view.map(v -> v.request().operation()).orElse(null);
            if (operation != Operation.DESTROY && operation != Operation.REFRESH && operation != Operation.RESHARE) {
                problems.accept("shred receipt for " + receipt.requestId() + " refused: not a DESTROY, REFRESH or"
                        + " RESHARE request");
                return;
            }
            service.submit(new CoordinatorEvent.ShredVerified(receipt.requestId(), receipt.nodeId(), receipt.epoch(),
                    receipt.destroyed(), receipt.signature()));
            if (operation == Operation.DESTROY) {
                advance(receipt.requestId());
            } else {
                synchronized (this) {
                    reshares.destroyIfResharedAway(service.request(receipt.requestId()).orElseThrow());
                }
            }
        } catch (RefusedException e) {
            problems.accept("shred receipt from " + receipt.nodeId() + " refused: " + e.getMessage());
        } catch (IOException | KeyEscrowException e) {
            problems.accept("shred receipt not journaled: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the state machine

    /** Moves {@code requestId} as far as what is known allows. */
    public synchronized void advance(String requestId) throws IOException, KeyEscrowException {
        Optional<RequestView> found = service.request(requestId);
        if (found.isEmpty()) {
            return;
        }
        RequestView view = found.get();
        if (view.state().isTerminal()) {
            lifecycle.release(requestId);
            return;
        }
        if (view.state() == RequestState.PENDING) {
            QuorumTally.Verdict verdict = service.verdict(requestId).orElseThrow();
            if (verdict == QuorumTally.Verdict.DENIED) {
                lifecycle.finish(requestId, RequestState.DENIED, "t approvals can no longer be reached (denied by "
                        + view.deniers() + ")");
                return;
            }
            if (verdict != QuorumTally.Verdict.APPROVED) {
                return;
            }
            service.submit(new CoordinatorEvent.RequestStateChanged(requestId, RequestState.APPROVED,
                    "approved by " + view.approvers()));
            view = service.request(requestId).orElseThrow();
        }
        if (view.state() != RequestState.APPROVED) {
            return;
        }
        handlers.get(view.request().operation()).advance(view);
    }

    /** COMPROMISE: the quorum marks the version COMPROMISED; nothing is released. */
    private void compromise(RequestView view) throws IOException, KeyEscrowException {
        CanonicalRequest request = view.request();
        service.submit(new CoordinatorEvent.VersionStateChanged(request.keyId(), request.version(),
                KeyState.COMPROMISED, "quorum-approved request " + view.requestId() + ": " + request.reason()));
        lifecycle.finish(view.requestId(), RequestState.EXECUTED, "version marked COMPROMISED");
    }

    // ---------------------------------------------------------------- operator actions

    /** Cancels a request that is not over yet; whatever it held is zeroed. */
    public synchronized RequestView cancel(String operator, String requestId)
            throws RefusedException, IOException, KeyEscrowException {
        RequestView view = service.request(requestId).orElseThrow(() -> new RefusedException(RefusalReason.NOT_FOUND,
                "no request " + requestId));
        if (view.state().isTerminal()) {
            throw new RefusedException(RefusalReason.WRONG_STATE, "request " + requestId + " is already "
                    + view.state());
        }
        lifecycle.finish(requestId, RequestState.CANCELLED, "cancelled by operator " + operator);
        onCancelled.accept(service.request(requestId).orElseThrow().request());
        return service.request(requestId).orElseThrow();
    }

    /**
     * The export bundle (the nodes' signed releases, wrapped to the recipient), once, to the
     * request's requester; the request is then EXECUTED.
     */
    public synchronized ExportBundle takeExport(String operator, String requestId)
            throws RefusedException, IOException, KeyEscrowException {
        RequestView view = requireRequester(operator, requestId);
        ExportBundle bundle = exports.take(requestId);
        if (bundle == null) {
            throw new RefusedException(RefusalReason.SESSION_CLOSED, "request " + requestId
                    + " has no export ready: not approved with t releases yet, or already delivered");
        }
        lifecycle.finish(view.requestId(), RequestState.EXECUTED, "export bundle delivered to " + operator);
        return bundle;
    }

    /** The USE session of {@code requestId}, for its requester only. */
    public KeySession session(String operator, String requestId) throws RefusedException {
        requireRequester(operator, requestId);
        return sessions.get(requestId);
    }

    /** Records the end of a session that ran out of operations or time; idempotent. */
    public synchronized void sessionUsed(KeySession session) throws IOException, KeyEscrowException {
        if (!session.isOpen()) {
            Optional<RequestView> view = service.request(session.requestId());
            if (view.isPresent() && view.get().state() == RequestState.ACTIVE) {
                lifecycle.finish(session.requestId(), RequestState.EXECUTED, "session ended ("
                        + session.ended().name().toLowerCase().replace('_', ' ') + ") after " + session.used()
                        + " of " + session.maxOperations() + " operations");
            }
        }
    }

    private RequestView requireRequester(String operator, String requestId) throws RefusedException {
        RequestView view = service.request(requestId).orElseThrow(() -> new RefusedException(RefusalReason.NOT_FOUND,
                "no request " + requestId));
        if (!view.request().requester().equals(operator)) {
            throw new RefusedException(RefusalReason.FORBIDDEN, "request " + requestId
                    + " serves its requester only");
        }
        return view;
    }

    /** Refused releases that no pinned node signed (forged or misrouted), for the request's view. */
    public synchronized List<BadRelease> unverifiedRefusals(String requestId) {
        return releases.unverified(requestId);
    }

    // ---------------------------------------------------------------- time and restart

    /** Expires requests whose TTL is over and sessions whose time is up. */
    public void sweep() throws IOException, KeyEscrowException {
        for (String requestId : service.dueExpiries()) {
            synchronized (this) {
                try {
                    lifecycle.finish(requestId, RequestState.EXPIRED, "no quorum and releases before the request"
                            + " expired");
                } catch (RefusedException movedOn) {
                    // it reached another state meanwhile: nothing to expire
                }
            }
        }
        List<String> signingNow;
        synchronized (this) {
            signingNow = signs.inProgress();
        }
        for (String requestId : signingNow) {
            advance(requestId);
        }
        Instant now = service.now();
        for (KeySession session : sessions.expire(now)) {
            sessionUsed(session);
        }
    }

    /**
     * After a restart: pending requests get their ephemeral keys back ({@link EphemeralKeyRecovery});
     * then every request still open is published again and moves on.
     */
    public synchronized void restore() throws IOException, KeyEscrowException {
        new EphemeralKeyRecovery(lifecycle, keys, vault, sealedKeys).run();
        for (RequestView view : service.requests()) {
            if (!view.state().isTerminal()) {
                onOpenAtRestart.accept(view);
                advance(view.requestId()); // e.g. an approved ROTATE whose ceremony was rolled back runs again
            }
        }
    }

    /** Overwrites the bytes of forgotten sealed keys (the periodic job). */
    public void compactSealedKeys() throws IOException {
        sealedKeys.compact();
    }
}
