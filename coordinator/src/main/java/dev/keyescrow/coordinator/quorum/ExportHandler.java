package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.export.ExportRelease;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.hsm.spec.Statements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * EXPORT: the nodes wrap their shares to the recipient's key; the coordinator checks each
 * release's node signature ({@link ReleaseVerifier#verifyExport}), keeps exactly {@code t} of
 * them as they came (it cannot open them), and with the request APPROVED makes the bundle that
 * its requester takes once.
 */
final class ExportHandler implements OperationHandler {
    private final ReleaseVerifier verifier;
    private final EphemeralKeys keys;
    private final RequestLifecycle lifecycle;
    /** Verified releases for the recipient, gathered unopened. */
    private final Map<String, Map<Integer, ExportRelease>> pendingExports = new HashMap<>();
    private final Map<String, ExportBundle> exports = new HashMap<>();

    ExportHandler(ReleaseVerifier verifier, EphemeralKeys keys, RequestLifecycle lifecycle) {
        this.verifier = verifier;
        this.keys = keys;
        this.lifecycle = lifecycle;
        lifecycle.whenOver(requestId -> {
            pendingExports.remove(requestId);
            exports.remove(requestId);
        });
    }

    /** An EXPORT release: its signature checked and kept as it came, for the recipient; never opened. */
    void accept(RequestView view, ReleaseMessage release, Manifest manifest)
            throws BadReleaseException, IOException, KeyEscrowException {
        Map<Integer, ExportRelease> gathered = pendingExports.computeIfAbsent(view.requestId(), k -> new TreeMap<>());
        if (gathered.containsKey(release.index()) || gathered.size() >= manifest.threshold()) {
            return; // the recipient gets exactly t releases, even when more wait in one batch
        }
        ExportRelease verified = verifier.verifyExport(release, view.request(), manifest);
        gathered.put(verified.index(), verified);
        lifecycle.service().submit(new CoordinatorEvent.ReleaseAccepted(view.requestId(), verified.index(),
                release.nodeId(), HexFormat.of().formatHex(Statements.sha256(release.wrapped()))));
    }

    /**
     * With {@code t} releases whose signatures verified and the request APPROVED, the bundle
     * for the recipient is ready. Nothing is opened or combined here.
     */
    @Override
    public void advance(RequestView view) throws IOException, KeyEscrowException {
        String requestId = view.requestId();
        Map<Integer, ExportRelease> gathered = pendingExports.get(requestId);
        Manifest manifest = lifecycle.manifestOf(view.request());
        if (gathered == null || gathered.size() < manifest.threshold()) {
            return;
        }
        pendingExports.remove(requestId);
        keys.destroy(requestId);
        exports.put(requestId, new ExportBundle(new String(view.request().canonicalJson(), StandardCharsets.UTF_8),
                new String(manifest.canonicalJson(), StandardCharsets.UTF_8), new ArrayList<>(gathered.values())));
        lifecycle.service().submit(new CoordinatorEvent.RequestStateChanged(requestId, RequestState.ACTIVE,
                "signed releases of shares " + gathered.keySet() + " gathered for the recipient (wrapped to the"
                        + " recipient's key; not opened here)"));
        lifecycle.forgetSealedKey(requestId);
    }

    /** The bundle of {@code requestId}, once; null when none is ready (or it was taken). */
    ExportBundle take(String requestId) {
        return exports.remove(requestId);
    }
}
