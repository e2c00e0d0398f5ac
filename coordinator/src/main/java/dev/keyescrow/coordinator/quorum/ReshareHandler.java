package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ceremony.KeyCeremony;
import dev.keyescrow.coordinator.ceremony.StagedCeremony;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.server.Unexpected;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * REFRESH and RESHARE: once t verified shares are in, the key is rebuilt ({@link Reconstruction},
 * KCV checked) and shared again as the next version — among the same custodians with the same
 * threshold (REFRESH) or among {@code params} (RESHARE). The nodes shred the old version's
 * shares themselves once every custodian countersigned the new version and it carries the same
 * KCV (the node checks both); their receipts then mark the old version DESTROYED.
 */
final class ReshareHandler implements OperationHandler {
    private final Reconstruction reconstruction;
    private final KeyCeremony ceremony;
    private final ExecutorService background;
    private final RequestLifecycle lifecycle;

    ReshareHandler(Reconstruction reconstruction, KeyCeremony ceremony, ExecutorService background,
            RequestLifecycle lifecycle) {
        this.reconstruction = reconstruction;
        this.ceremony = ceremony;
        this.background = background;
        this.lifecycle = lifecycle;
    }

    @Override
    public void advance(RequestView view) throws IOException, KeyEscrowException {
        Manifest manifest = lifecycle.manifestOf(view.request());
        if (!reconstruction.ready(view.requestId(), manifest) || !lifecycle.startOnce(view.requestId())) {
            return;
        }
        reconstruction.rebuild(view, manifest, (key, indices) -> stageAndRun(view, manifest, key));
    }

    private void stageAndRun(RequestView view, Manifest manifest, SecretBytes key)
            throws IOException, KeyEscrowException {
        String requestId = view.requestId();
        CanonicalRequest request = view.request();
        StagedCeremony staged;
        // split here, not on the background thread: the key must not wait in its queue behind
        // another ceremony's receipt wait; the staged ceremony holds no plaintext
        try (key) {
            List<Custodian> custodians = new ArrayList<>();
            int threshold = manifest.threshold();
            if (request.params() instanceof RequestParams.Reshare reshare) {
                threshold = reshare.threshold();
                custodians.addAll(lifecycle.service().custodiansOf(reshare));
            } else {
                for (Holder h : manifest.holders()) {
                    custodians.add(lifecycle.service().custodian(h.custodianId()).orElseThrow());
                }
            }
            staged = ceremony.stage(request.keyId(), manifest.algorithm(), threshold, custodians, key);
        } catch (RefusedException e) {
            lifecycle.finish(requestId, RequestState.FAILED, request.operation() + " failed: " + e.getMessage());
            return;
        } catch (KeyEscrowException | RuntimeException e) {
            lifecycle.finish(requestId, RequestState.FAILED, Unexpected.note(request.operation() + " failed", e));
            return;
        }
        background.execute(() -> {
            try {
                Manifest next = ceremony.run(staged).manifest();
                lifecycle.finishQuietly(requestId, RequestState.EXECUTED, "created v" + next.version()
                        + " with the same key (KCV " + manifest.kcv().hex() + ") " + next.threshold() + "-of-"
                        + next.shareCount() + "; the nodes shred v" + request.version()
                        + " once every custodian countersigned v" + next.version());
            } catch (RefusedException e) {
                lifecycle.finishQuietly(requestId, RequestState.FAILED, request.operation() + " failed: "
                        + e.getMessage());
            } catch (IOException | KeyEscrowException | RuntimeException e) {
                lifecycle.finishQuietly(requestId, RequestState.FAILED,
                        Unexpected.note(request.operation() + " failed", e));
            }
        });
    }

    /** After a REFRESH or RESHARE: the old version is DESTROYED once fewer than t of its shares can remain. */
    void destroyIfResharedAway(RequestView view) throws IOException, KeyEscrowException {
        CanonicalRequest request = view.request();
        KeyVersionView version = lifecycle.service().version(request.keyId(), request.version()).orElseThrow();
        int remaining = version.manifest().shareCount() - version.shredded().size();
        if (remaining < version.manifest().threshold() && version.state() != KeyState.DESTROYED) {
            lifecycle.service().submit(new CoordinatorEvent.VersionStateChanged(request.keyId(), request.version(),
                    KeyState.DESTROYED, request.operation() + " " + view.requestId() + ": shares " + version.shredded()
                            + " shredded, " + remaining + " remain, fewer than the threshold "
                            + version.manifest().threshold()));
        }
    }
}
