package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ceremony.KeyCeremony;
import dev.keyescrow.coordinator.ceremony.KeyMaterial;
import dev.keyescrow.coordinator.ceremony.StagedCeremony;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.ledger.BadRelease;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.coordinator.ledger.SubmitOutcome;
import dev.keyescrow.coordinator.session.KeySession;
import dev.keyescrow.coordinator.session.KeySessions;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.export.ExportRelease;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.Statements;
import dev.keyescrow.server.Unexpected;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Drives requests from PENDING to a terminal state (design: Requests).
 *
 * <p>Answers from the cluster are counted with the core's {@link QuorumTally} (the
 * coordinator's own view: nodes decide releases on their own count). Releases are verified
 * one by one ({@link ReleaseVerifier}); a bad one is journaled by index and node and never
 * combined. With {@code t} verified shares <em>and</em> the coordinator's own count at
 * APPROVED, the key is reconstructed (commitments and KCV checked), the ephemeral private
 * key and the shares are zeroed, and the key goes to its USE session. EXPORT is never
 * reconstructed here: the nodes wrap their shares to the recipient's key, and the
 * coordinator only gathers {@code t} releases whose node signatures verify into the
 * bundle that {@code escrow export fetch} takes. ROTATE runs a ceremony for the next version, COMPROMISE marks the
 * version, DESTROY counts verified shred receipts until fewer than {@code t} shares can
 * remain. Any terminal state zeroes whatever the request still held.
 *
 * <p>Thread-safe: cluster input, HTTP calls and the periodic sweep may arrive concurrently;
 * request bookkeeping is serialised on this object.
 */
public final class RequestWorkflow {
    private final CoordinatorService service;
    private final ReleaseVerifier verifier;
    private final EphemeralKeys keys;
    private final EphemeralKeyVault vault;
    private final SealedKeyStore sealedKeys;
    private final KeySessions sessions;
    private final KeyCeremony ceremony;
    private final dev.keyescrow.coordinator.ceremony.DkgCeremony dkg;
    private final ExecutorService background;
    private final SecureRandom random;
    private final Consumer<String> problems;
    /** SIGN (FROST keys): round calls and aggregation; null until {@link #enableSigning}. */
    private FrostSigning frost;
    /** APPROVED SIGN requests: the sweep moves them on, so a round nobody answers times out. */
    private final Set<String> signing = new HashSet<>();
    private final Map<String, Map<Integer, Share>> pending = new HashMap<>();
    /** EXPORT: verified releases for the recipient, gathered unopened (the coordinator cannot open them). */
    private final Map<String, Map<Integer, ExportRelease>> pendingExports = new HashMap<>();
    private final Map<String, ExportBundle> exports = new HashMap<>();
    private final Set<String> executing = new HashSet<>();
    /** Refused releases nobody pinned signed: shown with the request, bounded, never journaled. */
    private final Map<String, List<BadRelease>> unverified = new HashMap<>();
    private static final int MAX_UNVERIFIED_PER_REQUEST = 16;
    private volatile Consumer<dev.keyescrow.core.request.CanonicalRequest> onCancelled = r -> { };
    private volatile Consumer<RequestView> onOpenAtRestart = r -> { };

    /**
     * Told, at restart, of every request still open: the coordinator may have crashed between
     * journaling it and publishing it, so it is published again (publishing is idempotent).
     */
    public void onOpenAtRestart(Consumer<RequestView> listener) {
        this.onOpenAtRestart = listener;
    }

    /**
     * Lets SIGN requests run: {@code identity} signs the round calls that {@code publish} puts
     * on the cluster; {@code nodes} pins the node keys that commitments and shares must carry.
     */
    public synchronized void enableSigning(dev.keyescrow.coordinator.enrolment.NodeRegistry nodes,
            dev.keyescrow.core.signature.Signer identity,
            Consumer<dev.keyescrow.core.wire.FrostCallMessage> publish) {
        this.frost = new FrostSigning(nodes, identity, publish);
    }

    /** A node's SIGN commitment; never throws for bad input. */
    public void onFrostCommitment(byte[] value) {
        try {
            var c = dev.keyescrow.core.wire.FrostCommitmentMessage.decode(value);
            synchronized (this) {
                Optional<RequestView> view = service.request(c.requestId());
                if (frost == null || view.isEmpty() || view.get().state().isTerminal()
                        || view.get().request().operation() != Operation.SIGN) {
                    return;
                }
                frost.onCommitment(c, view.get().request(), manifestOf(view.get().request()));
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
            var m = dev.keyescrow.core.wire.FrostShareMessage.decode(value);
            synchronized (this) {
                Optional<RequestView> view = service.request(m.requestId());
                if (frost == null || view.isEmpty() || view.get().state().isTerminal()
                        || view.get().request().operation() != Operation.SIGN) {
                    return;
                }
                frost.onShare(m, view.get().request(), manifestOf(view.get().request()));
            }
            advance(m.requestId());
        } catch (FormatException | IllegalArgumentException | FrostSigning.BadInput e) {
            problems.accept("SIGN signature share refused: " + e.getMessage());
        } catch (IOException | KeyEscrowException e) {
            problems.accept("SIGN signature share not handled: " + e.getMessage());
        }
    }

    /** SIGN: one step of the rounds; with every signature made, journals them and EXECUTED. */
    private void signIfReady(RequestView view) throws IOException, KeyEscrowException {
        if (frost == null) {
            return;
        }
        String requestId = view.requestId();
        signing.add(requestId);
        FrostSigning.Step step = frost.step(view.request(), manifestOf(view.request()), service.now());
        for (FrostSigning.Named n : step.named()) {
            problems.accept("SIGN " + requestId + ": " + n.problem());
            service.submit(new CoordinatorEvent.ReleaseRefused(requestId, n.index(), n.nodeId(), n.problem()));
        }
        if (step.failure() != null) {
            finish(requestId, RequestState.FAILED, "SIGN failed: " + step.failure());
        } else if (step.signatures() != null) {
            service.submit(new CoordinatorEvent.SignaturesMade(requestId, step.signatures()));
            finish(requestId, RequestState.EXECUTED, step.signatures().size() + " signature"
                    + (step.signatures().size() == 1 ? "" : "s") + " made by the quorum; no share left its node");
        }
    }

    /** Told of every cancelled request, after it was journaled, so the nodes can be told too. */
    public void onCancelled(Consumer<dev.keyescrow.core.request.CanonicalRequest> listener) {
        this.onCancelled = listener;
    }

    public RequestWorkflow(CoordinatorService service, ReleaseVerifier verifier, EphemeralKeys keys,
            EphemeralKeyVault vault, SealedKeyStore sealedKeys, KeySessions sessions, KeyCeremony ceremony,
            dev.keyescrow.coordinator.ceremony.DkgCeremony dkg, ExecutorService background, SecureRandom random,
            Consumer<String> problems) {
        this.service = service;
        this.verifier = verifier;
        this.keys = keys;
        this.vault = vault;
        this.sealedKeys = sealedKeys;
        this.sessions = sessions;
        this.ceremony = ceremony;
        this.dkg = dkg;
        this.background = background;
        this.random = random;
        this.problems = problems;
    }

    // ---------------------------------------------------------------- cluster input

    private final java.util.concurrent.atomic.LongAdder republishedAnswers =
            new java.util.concurrent.atomic.LongAdder();

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
        Set<String> requestIds = new java.util.LinkedHashSet<>();
        synchronized (this) {
            List<CoordinatorEvent> accepted = new ArrayList<>();
            for (byte[] value : values) {
                ReleaseMessage release;
                try {
                    release = ReleaseMessage.decode(value);
                } catch (FormatException | IllegalArgumentException e) {
                    problems.accept("release refused: " + e.getMessage());
                    continue;
                }
                requestIds.add(release.requestId());
                try {
                    checkRelease(release).ifPresent(accepted::add);
                } catch (IOException | KeyEscrowException e) {
                    problems.accept("release of " + release.requestId() + "/" + release.index() + " not journaled: "
                            + e.getMessage());
                }
            }
            List<SubmitOutcome> outcomes = service.submitAll(accepted);
            for (int i = 0; i < outcomes.size(); i++) {
                SubmitOutcome outcome = outcomes.get(i);
                CoordinatorEvent.ReleaseAccepted r = (CoordinatorEvent.ReleaseAccepted) accepted.get(i);
                if (outcome.problem() != null) {
                    problems.accept("release of " + r.requestId() + "/" + r.index() + " not journaled: "
                            + outcome.problem().getMessage());
                }
                if (outcome.status() == SubmitOutcome.Status.REFUSED) {
                    // never combine a share whose release the ledger refused
                    Optional.ofNullable(pending.get(r.requestId())).map(m -> m.remove(r.index()))
                            .ifPresent(Share::destroy);
                }
            }
        }
        for (String requestId : requestIds) {
            try {
                advance(requestId);
            } catch (IOException | KeyEscrowException e) {
                problems.accept("request " + requestId + " not advanced: " + e.getMessage());
            }
        }
    }

    /**
     * Checks a release and keeps its share for the combine; returns the event to journal, or
     * empty when there is none left to journal (unknown or finished request, a repeat, an
     * EXPORT release or a refusal, which are journaled here).
     */
    private Optional<CoordinatorEvent> checkRelease(ReleaseMessage release) throws IOException, KeyEscrowException {
        Optional<RequestView> found = service.request(release.requestId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RequestView view = found.get();
        Optional<EphemeralKey> key = keys.get(view.requestId());
        if (view.state().isTerminal() || key.isEmpty()) {
            return Optional.empty(); // already combined or over: releases are discarded, never kept
        }
        Map<Integer, Share> shares = pending.computeIfAbsent(view.requestId(), k -> new TreeMap<>());
        Manifest manifest = manifestOf(view.request());
        if (shares.containsKey(release.index()) || shares.size() >= manifest.threshold()) {
            return Optional.empty(); // t shares wait for the combine: more are discarded, as after it
        }
        if (view.request().operation() == Operation.EXPORT) {
            acceptExportRelease(view, release, manifest);
            return Optional.empty();
        }
        try {
            Share share = verifier.verify(release, view.request(), manifest, key.get());
            shares.put(share.index(), share);
            return Optional.of(new CoordinatorEvent.ReleaseAccepted(view.requestId(), share.index(),
                    release.nodeId(), HexFormat.of().formatHex(Statements.sha256(release.wrapped()))));
        } catch (BadReleaseException e) {
            refuse(view.requestId(), e);
            return Optional.empty();
        }
    }

    /** An EXPORT release: its signature checked and kept as it came, for the recipient; never opened. */
    private void acceptExportRelease(RequestView view, ReleaseMessage release, Manifest manifest)
            throws IOException, KeyEscrowException {
        Map<Integer, ExportRelease> gathered = pendingExports.computeIfAbsent(view.requestId(), k -> new TreeMap<>());
        if (gathered.containsKey(release.index()) || gathered.size() >= manifest.threshold()) {
            return; // the recipient gets exactly t releases, even when more wait in one batch
        }
        try {
            ExportRelease verified = verifier.verifyExport(release, view.request(), manifest);
            gathered.put(verified.index(), verified);
            service.submit(new CoordinatorEvent.ReleaseAccepted(view.requestId(), verified.index(), release.nodeId(),
                    HexFormat.of().formatHex(Statements.sha256(release.wrapped()))));
        } catch (BadReleaseException e) {
            refuse(view.requestId(), e);
        }
    }

    private void refuse(String requestId, BadReleaseException e) throws IOException, KeyEscrowException {
        problems.accept(e.getMessage());
        if (e.signedByNode()) {
            service.submit(new CoordinatorEvent.ReleaseRefused(requestId, e.index(), e.nodeId(), e.getMessage()));
        } else {
            List<BadRelease> list = unverified.computeIfAbsent(requestId, k -> new ArrayList<>());
            if (list.size() < MAX_UNVERIFIED_PER_REQUEST) {
                list.add(new BadRelease(e.index(), e.nodeId(), e.getMessage()));
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
                    destroyIfResharedAway(service.request(receipt.requestId()).orElseThrow());
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
            release(requestId);
            return;
        }
        if (view.state() == RequestState.PENDING) {
            QuorumTally.Verdict verdict = service.verdict(requestId).orElseThrow();
            if (verdict == QuorumTally.Verdict.DENIED) {
                finish(requestId, RequestState.DENIED, "t approvals can no longer be reached (denied by "
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
        CanonicalRequest request = view.request();
        switch (request.operation()) {
            case USE -> combineIfReady(view);
            case EXPORT -> bundleIfReady(view);
            case COMPROMISE -> {
                service.submit(new CoordinatorEvent.VersionStateChanged(request.keyId(), request.version(),
                        KeyState.COMPROMISED, "quorum-approved request " + requestId + ": " + request.reason()));
                finish(requestId, RequestState.EXECUTED, "version marked COMPROMISED");
            }
            case ROTATE -> rotate(view);
            case DESTROY -> destroyIfShredded(view);
            case REFRESH, RESHARE -> reshareIfReady(view);
            case SIGN -> signIfReady(view);
        }
    }

    /**
     * EXPORT: with {@code t} releases whose signatures verified and the request APPROVED, the
     * bundle for the recipient is ready. Nothing is opened or combined here.
     */
    private void bundleIfReady(RequestView view) throws IOException, KeyEscrowException {
        String requestId = view.requestId();
        Map<Integer, ExportRelease> gathered = pendingExports.get(requestId);
        Manifest manifest = manifestOf(view.request());
        if (gathered == null || gathered.size() < manifest.threshold()) {
            return;
        }
        pendingExports.remove(requestId);
        keys.destroy(requestId);
        exports.put(requestId, new ExportBundle(new String(view.request().canonicalJson(),
                java.nio.charset.StandardCharsets.UTF_8), new String(manifest.canonicalJson(),
                java.nio.charset.StandardCharsets.UTF_8), new ArrayList<>(gathered.values())));
        service.submit(new CoordinatorEvent.RequestStateChanged(requestId, RequestState.ACTIVE,
                "signed releases of shares " + gathered.keySet() + " gathered for the recipient (wrapped to the"
                        + " recipient's key; not opened here)"));
        forgetSealedKey(requestId);
    }

    private void combineIfReady(RequestView view) throws IOException, KeyEscrowException {
        String requestId = view.requestId();
        Map<Integer, Share> shares = pending.get(requestId);
        Manifest manifest = manifestOf(view.request());
        if (shares == null || shares.size() < manifest.threshold()) {
            return;
        }
        pending.remove(requestId);
        keys.destroy(requestId);
        KeyVersionView version = service.version(manifest.keyId(), manifest.version()).orElseThrow();
        SecretBytes key = null;
        try {
            key = manifest.reconstruct(new ArrayList<>(shares.values()));
            if (!KeyMaterial.kcvOf(manifest.algorithm(), key).equals(manifest.kcv())) {
                finish(requestId, RequestState.FAILED, "the reconstructed key does not match the manifest's KCV");
                return;
            }
            CanonicalRequest request = view.request();
            if (request.params() instanceof RequestParams.Use use) {
                SecretBytes loaded = key;
                key = null; // open zeroes it on every path
                try {
                    sessions.open(requestId, request.requester(), manifest.algorithm(), loaded, use, service.now(),
                            version.state().protects());
                } catch (TokenFailureException e) {
                    finish(requestId, RequestState.FAILED, "the coordinator's token could not hold the key: "
                            + e.getMessage());
                    return;
                }
                service.submit(new CoordinatorEvent.RequestStateChanged(requestId, RequestState.ACTIVE,
                        "key reconstructed from shares " + shares.keySet() + "; session open for "
                                + use.maxOperations() + " operations, " + use.sessionSeconds() + " s"));
                forgetSealedKey(requestId); // combined: no release will need opening again
            }
        } catch (SharingException e) {
            finish(requestId, RequestState.FAILED, "reconstruction refused: " + e.getMessage());
        } finally {
            shares.values().forEach(Share::destroy);
            if (key != null) {
                key.destroy();
            }
        }
    }

    private void rotate(RequestView view) {
        String requestId = view.requestId();
        if (!executing.add(requestId)) {
            return;
        }
        CanonicalRequest request = view.request();
        Manifest manifest = manifestOf(request);
        background.execute(() -> {
            try {
                List<Custodian> custodians = new ArrayList<>();
                for (Holder h : manifest.holders()) {
                    custodians.add(service.custodian(h.custodianId()).orElseThrow());
                }
                // a FROST key's successor is made as the key was, by the holders' nodes: the
                // coordinator never holds a signing key, not even a new one
                int version = (manifest.scheme() == dev.keyescrow.core.integrity.KeyScheme.FROST
                        ? dkg.create(request.keyId(), manifest.threshold(), custodians)
                        : ceremony.create(request.keyId(), manifest.algorithm(), manifest.threshold(), custodians))
                        .manifest().version();
                finishQuietly(requestId, RequestState.EXECUTED, "created v" + version
                        + " (PRE_ACTIVE until every custodian countersigns; v" + request.version()
                        + " is deactivated then)");
            } catch (RefusedException e) {
                finishQuietly(requestId, RequestState.FAILED, "rotation failed: " + e.getMessage());
            } catch (IOException | KeyEscrowException | RuntimeException e) {
                finishQuietly(requestId, RequestState.FAILED, Unexpected.note("rotation failed", e));
            }
        });
    }

    /**
     * REFRESH and RESHARE: once t verified shares are in, the key is rebuilt (and checked
     * against the manifest's KCV) and shared again as the next version — among the same
     * custodians with the same threshold (REFRESH) or among {@code params} (RESHARE). The nodes
     * shred the old version's shares themselves once every custodian countersigned the new
     * version and it carries the same KCV (the node checks both); their receipts then mark the
     * old version DESTROYED.
     */
    private void reshareIfReady(RequestView view) throws IOException, KeyEscrowException {
        String requestId = view.requestId();
        Map<Integer, Share> shares = pending.get(requestId);
        Manifest manifest = manifestOf(view.request());
        if (shares == null || shares.size() < manifest.threshold() || !executing.add(requestId)) {
            return;
        }
        pending.remove(requestId);
        keys.destroy(requestId);
        SecretBytes key;
        try {
            key = manifest.reconstruct(new ArrayList<>(shares.values()));
        } catch (SharingException e) {
            finish(requestId, RequestState.FAILED, "reconstruction refused: " + e.getMessage());
            return;
        } finally {
            shares.values().forEach(Share::destroy);
        }
        if (!KeyMaterial.kcvOf(manifest.algorithm(), key).equals(manifest.kcv())) {
            key.destroy();
            finish(requestId, RequestState.FAILED, "the reconstructed key does not match the manifest's KCV");
            return;
        }
        CanonicalRequest request = view.request();
        StagedCeremony staged;
        // split here, not on the background thread: the key must not wait in its queue behind
        // another ceremony's receipt wait; the staged ceremony holds no plaintext
        try (key) {
            List<Custodian> custodians = new ArrayList<>();
            int threshold = manifest.threshold();
            if (request.params() instanceof RequestParams.Reshare reshare) {
                threshold = reshare.threshold();
                custodians.addAll(service.custodiansOf(reshare));
            } else {
                for (Holder h : manifest.holders()) {
                    custodians.add(service.custodian(h.custodianId()).orElseThrow());
                }
            }
            staged = ceremony.stage(request.keyId(), manifest.algorithm(), threshold, custodians, key);
        } catch (RefusedException e) {
            finish(requestId, RequestState.FAILED, request.operation() + " failed: " + e.getMessage());
            return;
        } catch (KeyEscrowException | RuntimeException e) {
            finish(requestId, RequestState.FAILED, Unexpected.note(request.operation() + " failed", e));
            return;
        }
        background.execute(() -> {
            try {
                Manifest next = ceremony.run(staged).manifest();
                finishQuietly(requestId, RequestState.EXECUTED, "created v" + next.version() + " with the same key (KCV "
                        + manifest.kcv().hex() + ") " + next.threshold() + "-of-" + next.shareCount()
                        + "; the nodes shred v" + request.version() + " once every custodian countersigned v"
                        + next.version());
            } catch (RefusedException e) {
                finishQuietly(requestId, RequestState.FAILED, request.operation() + " failed: " + e.getMessage());
            } catch (IOException | KeyEscrowException | RuntimeException e) {
                finishQuietly(requestId, RequestState.FAILED, Unexpected.note(request.operation() + " failed", e));
            }
        });
    }

    /** After a REFRESH or RESHARE: the old version is DESTROYED once fewer than t of its shares can remain. */
    private void destroyIfResharedAway(RequestView view) throws IOException, KeyEscrowException {
        CanonicalRequest request = view.request();
        KeyVersionView version = service.version(request.keyId(), request.version()).orElseThrow();
        int remaining = version.manifest().shareCount() - version.shredded().size();
        if (remaining < version.manifest().threshold() && version.state() != KeyState.DESTROYED) {
            service.submit(new CoordinatorEvent.VersionStateChanged(request.keyId(), request.version(),
                    KeyState.DESTROYED, request.operation() + " " + view.requestId() + ": shares " + version.shredded()
                            + " shredded, " + remaining + " remain, fewer than the threshold "
                            + version.manifest().threshold()));
        }
    }

    private void destroyIfShredded(RequestView view) throws IOException, KeyEscrowException {
        CanonicalRequest request = view.request();
        KeyVersionView version = service.version(request.keyId(), request.version()).orElseThrow();
        int remaining = version.manifest().shareCount() - version.shredded().size();
        if (remaining < version.manifest().threshold()) {
            if (version.state() != KeyState.DESTROYED) {
                service.submit(new CoordinatorEvent.VersionStateChanged(request.keyId(), request.version(),
                        KeyState.DESTROYED, "shares " + version.shredded() + " shredded: " + remaining
                                + " remain, fewer than the threshold " + version.manifest().threshold()));
            }
            finish(view.requestId(), RequestState.EXECUTED, "nodes " + view.shreddedNodes() + " shredded their shares");
        }
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
        finish(requestId, RequestState.CANCELLED, "cancelled by operator " + operator);
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
        ExportBundle bundle = exports.remove(requestId);
        if (bundle == null) {
            throw new RefusedException(RefusalReason.SESSION_CLOSED, "request " + requestId
                    + " has no export ready: not approved with t releases yet, or already delivered");
        }
        finish(view.requestId(), RequestState.EXECUTED, "export bundle delivered to " + operator);
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
                finish(session.requestId(), RequestState.EXECUTED, "session ended ("
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

    // ---------------------------------------------------------------- time and restart

    /** Expires requests whose TTL is over and sessions whose time is up. */
    public void sweep() throws IOException, KeyEscrowException {
        for (String requestId : service.dueExpiries()) {
            synchronized (this) {
                try {
                    finish(requestId, RequestState.EXPIRED, "no quorum and releases before the request expired");
                } catch (RefusedException movedOn) {
                    // it reached another state meanwhile: nothing to expire
                }
            }
        }
        List<String> signingNow;
        synchronized (this) {
            signingNow = new ArrayList<>(signing);
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
     * After a restart: pending requests get their ephemeral keys back from the sealed-key store
     * (unsealed by the coordinator's token; a key sealed by an earlier version fails its
     * request); a session that was open has ended and is never rebuilt.
     */
    public synchronized void restore() throws IOException, KeyEscrowException {
        Set<String> neededSealedKeys = new HashSet<>();
        for (RequestView view : service.requests()) {
            CanonicalRequest request = view.request();
            if (view.state() == RequestState.ACTIVE) {
                finish(view.requestId(), RequestState.FAILED, "the coordinator restarted: the open session or "
                        + "export ended and is never rebuilt");
            } else if (!view.state().isTerminal() && request.operation().needsRelease()) {
                Optional<byte[]> envelope = sealedEnvelope(view.requestId());
                if (envelope.isEmpty()) {
                    finish(view.requestId(), RequestState.FAILED, "its sealed ephemeral key is missing from the"
                            + " sealed-key store");
                    continue;
                }
                try {
                    keys.put(view.requestId(), vault.unseal(view.requestId(),
                            HexFormat.of().parseHex(view.digest()), request.ephemeralPublicKey(), envelope.get()));
                    service.sealedKey(view.requestId()).ifPresent(neededSealedKeys::add);
                } catch (KeyEscrowException e) {
                    finish(view.requestId(), RequestState.FAILED, "its ephemeral key could not be recovered: "
                            + e.getMessage());
                }
            }
        }
        forgetSealedKeysExcept(neededSealedKeys);
        for (RequestView view : service.requests()) {
            if (!view.state().isTerminal()) {
                onOpenAtRestart.accept(view);
                advance(view.requestId()); // e.g. an approved ROTATE whose ceremony was rolled back runs again
            }
        }
    }

    /** The sealed envelope of a request's ephemeral key: from the sealed-key store, or inline in an older record. */
    private Optional<byte[]> sealedEnvelope(String requestId) throws IOException {
        Optional<String> stored = service.sealedKey(requestId);
        return stored.isPresent() ? sealedKeys.get(stored.get()) : service.inlineEnvelope(requestId);
    }

    /**
     * Deletes the sealed ephemeral key of a request that no longer needs it (its releases are
     * combined, or it is over); called after that state is journaled, so a crash in between
     * leaves a key that {@link #restore} deletes.
     */
    private void forgetSealedKey(String requestId) {
        try {
            Optional<String> stored = service.sealedKey(requestId);
            if (stored.isPresent()) {
                sealedKeys.forget(stored.get());
            }
        } catch (IOException e) {
            problems.accept("the sealed key of " + requestId + " could not be deleted yet: " + e.getMessage());
        }
    }

    /** At start: deletes every sealed key but those of the requests still waiting (crash leftovers), then compacts. */
    private void forgetSealedKeysExcept(Set<String> needed) throws IOException {
        for (String id : sealedKeys.ids()) {
            if (!needed.contains(id)) {
                sealedKeys.forget(id);
            }
        }
        sealedKeys.compact();
    }

    /** Overwrites the bytes of forgotten sealed keys (the periodic job). */
    public void compactSealedKeys() throws IOException {
        sealedKeys.compact();
    }

    /** Refused releases that no pinned node signed (forged or misrouted), for the request's view. */
    public synchronized List<BadRelease> unverifiedRefusals(String requestId) {
        return List.copyOf(unverified.getOrDefault(requestId, List.of()));
    }

    // ---------------------------------------------------------------- helpers

    private void finish(String requestId, RequestState state, String reason) throws IOException, KeyEscrowException {
        service.submit(new CoordinatorEvent.RequestStateChanged(requestId, state, reason));
        release(requestId);
    }

    private void finishQuietly(String requestId, RequestState state, String reason) {
        try {
            synchronized (this) {
                finish(requestId, state, reason);
            }
        } catch (IOException | KeyEscrowException e) {
            problems.accept("request " + requestId + " could not be marked " + state + ": " + e.getMessage());
        }
    }

    /** Zeroes and forgets everything the request held, its sealed ephemeral key included. */
    private void release(String requestId) {
        keys.destroy(requestId);
        signing.remove(requestId);
        if (frost != null) {
            frost.forget(requestId);
        }
        forgetSealedKey(requestId);
        Map<Integer, Share> shares = pending.remove(requestId);
        if (shares != null) {
            shares.values().forEach(Share::destroy);
        }
        pendingExports.remove(requestId);
        exports.remove(requestId);
        sessions.end(requestId);
        executing.remove(requestId);
    }

    private Manifest manifestOf(CanonicalRequest request) {
        return service.version(request.keyId(), request.version()).orElseThrow().manifest();
    }
}
