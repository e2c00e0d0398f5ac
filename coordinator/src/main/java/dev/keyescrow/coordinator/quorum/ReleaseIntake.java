package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.BadRelease;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.coordinator.ledger.SubmitOutcome;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.hsm.spec.EphemeralKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Releases from the nodes, as they arrive: each is decoded and checked as it would be alone
 * (a share for the {@link Reconstruction}, or a signed release kept for the EXPORT bundle),
 * a refusal is journaled by index and node (or, when no pinned node signed it, kept in a
 * bounded list shown with the request), and the accepted ones are journaled together
 * ({@link CoordinatorService#submitAll}: one fsync for the lot). Called under the workflow's
 * monitor.
 */
final class ReleaseIntake {
    private static final int MAX_UNVERIFIED_PER_REQUEST = 16;

    private final RequestLifecycle lifecycle;
    private final EphemeralKeys keys;
    private final Reconstruction reconstruction;
    private final ExportHandler exports;
    /** Refused releases nobody pinned signed: shown with the request, bounded, never journaled. */
    private final Map<String, List<BadRelease>> unverified = new HashMap<>();

    ReleaseIntake(RequestLifecycle lifecycle, EphemeralKeys keys, Reconstruction reconstruction,
            ExportHandler exports) {
        this.lifecycle = lifecycle;
        this.keys = keys;
        this.reconstruction = reconstruction;
        this.exports = exports;
    }

    /** Takes a burst of releases; returns the requests they name, in order, to move on. */
    Set<String> take(List<byte[]> values) {
        Set<String> requestIds = new LinkedHashSet<>();
        List<CoordinatorEvent> accepted = new ArrayList<>();
        for (byte[] value : values) {
            ReleaseMessage release;
            try {
                release = ReleaseMessage.decode(value);
            } catch (FormatException | IllegalArgumentException e) {
                lifecycle.problem("release refused: " + e.getMessage());
                continue;
            }
            requestIds.add(release.requestId());
            try {
                check(release).ifPresent(accepted::add);
            } catch (IOException | KeyEscrowException e) {
                lifecycle.problem("release of " + release.requestId() + "/" + release.index() + " not journaled: "
                        + e.getMessage());
            }
        }
        List<SubmitOutcome> outcomes = lifecycle.service().submitAll(accepted);
        for (int i = 0; i < outcomes.size(); i++) {
            SubmitOutcome outcome = outcomes.get(i);
            CoordinatorEvent.ReleaseAccepted r = (CoordinatorEvent.ReleaseAccepted) accepted.get(i);
            if (outcome.problem() != null) {
                lifecycle.problem("release of " + r.requestId() + "/" + r.index() + " not journaled: "
                        + outcome.problem().getMessage());
            }
            if (outcome.status() == SubmitOutcome.Status.REFUSED) {
                // never combine a share whose release the ledger refused
                reconstruction.drop(r.requestId(), r.index());
            }
        }
        return requestIds;
    }

    /**
     * Checks a release and keeps its share for the combine; returns the event to journal, or
     * empty when there is none left to journal (unknown or finished request, a repeat, an
     * EXPORT release or a refusal, which are journaled here).
     */
    private Optional<CoordinatorEvent> check(ReleaseMessage release) throws IOException, KeyEscrowException {
        Optional<RequestView> found = lifecycle.service().request(release.requestId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RequestView view = found.get();
        Optional<EphemeralKey> key = keys.get(view.requestId());
        if (view.state().isTerminal() || key.isEmpty()) {
            return Optional.empty(); // already combined or over: releases are discarded, never kept
        }
        Manifest manifest = lifecycle.manifestOf(view.request());
        if (!reconstruction.wants(view.requestId(), release.index(), manifest.threshold())) {
            return Optional.empty(); // t shares wait for the combine: more are discarded, as after it
        }
        try {
            if (view.request().operation() == Operation.EXPORT) {
                exports.accept(view, release, manifest);
                return Optional.empty();
            }
            return Optional.of(reconstruction.verifyAndKeep(view, release, manifest, key.get()));
        } catch (BadReleaseException e) {
            refuse(view.requestId(), e);
            return Optional.empty();
        }
    }

    private void refuse(String requestId, BadReleaseException e) throws IOException, KeyEscrowException {
        lifecycle.problem(e.getMessage());
        if (e.signedByNode()) {
            lifecycle.service().submit(new CoordinatorEvent.ReleaseRefused(requestId, e.index(), e.nodeId(),
                    e.getMessage()));
        } else {
            List<BadRelease> list = unverified.computeIfAbsent(requestId, k -> new ArrayList<>());
            if (list.size() < MAX_UNVERIFIED_PER_REQUEST) {
                list.add(new BadRelease(e.index(), e.nodeId(), e.getMessage()));
            }
        }
    }

    /** Refused releases that no pinned node signed (forged or misrouted), for the request's view. */
    List<BadRelease> unverified(String requestId) {
        return List.copyOf(unverified.getOrDefault(requestId, List.of()));
    }
}
