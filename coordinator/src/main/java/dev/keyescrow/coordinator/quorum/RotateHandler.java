package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ceremony.DkgCeremony;
import dev.keyescrow.coordinator.ceremony.KeyCeremony;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.server.Unexpected;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * ROTATE: the next version is made on the background thread, for the same holders with the
 * same threshold — a Shamir key by a new split ({@link KeyCeremony}), a FROST key by
 * distributed key generation among the holders' nodes ({@link DkgCeremony}). The old version
 * is deactivated once every custodian countersigned the new one.
 */
final class RotateHandler implements OperationHandler {
    private final KeyCeremony ceremony;
    private final DkgCeremony dkg;
    private final ExecutorService background;
    private final RequestLifecycle lifecycle;

    RotateHandler(KeyCeremony ceremony, DkgCeremony dkg, ExecutorService background, RequestLifecycle lifecycle) {
        this.ceremony = ceremony;
        this.dkg = dkg;
        this.background = background;
        this.lifecycle = lifecycle;
    }

    @Override
    public void advance(RequestView view) {
        String requestId = view.requestId();
        if (!lifecycle.startOnce(requestId)) {
            return;
        }
        CanonicalRequest request = view.request();
        Manifest manifest = lifecycle.manifestOf(request);
        background.execute(() -> {
            try {
                List<Custodian> custodians = new ArrayList<>();
                for (Holder h : manifest.holders()) {
                    custodians.add(lifecycle.service().custodian(h.custodianId()).orElseThrow());
                }
                // a FROST key's successor is made as the key was, by the holders' nodes: the
                // coordinator never holds a signing key, not even a new one
                int version = (manifest.scheme() == KeyScheme.FROST
                        ? dkg.create(request.keyId(), manifest.threshold(), custodians)
                        : ceremony.create(request.keyId(), manifest.algorithm(), manifest.threshold(), custodians))
                        .manifest().version();
                lifecycle.finishQuietly(requestId, RequestState.EXECUTED, "created v" + version
                        + " (PRE_ACTIVE until every custodian countersigns; v" + request.version()
                        + " is deactivated then)");
            } catch (RefusedException e) {
                lifecycle.finishQuietly(requestId, RequestState.FAILED, "rotation failed: " + e.getMessage());
            } catch (IOException | KeyEscrowException | RuntimeException e) {
                lifecycle.finishQuietly(requestId, RequestState.FAILED, Unexpected.note("rotation failed", e));
            }
        });
    }
}
