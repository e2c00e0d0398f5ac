package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import java.io.IOException;

/**
 * DESTROY: the holder nodes shred their shares and sign receipts (counted by the ledger as
 * they arrive); once fewer than {@code t} shares can remain, the version is DESTROYED and the
 * request EXECUTED.
 */
final class DestroyHandler implements OperationHandler {
    private final RequestLifecycle lifecycle;

    DestroyHandler(RequestLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void advance(RequestView view) throws IOException, KeyEscrowException {
        CanonicalRequest request = view.request();
        KeyVersionView version = lifecycle.service().version(request.keyId(), request.version()).orElseThrow();
        int remaining = version.manifest().shareCount() - version.shredded().size();
        if (remaining < version.manifest().threshold()) {
            if (version.state() != KeyState.DESTROYED) {
                lifecycle.service().submit(new CoordinatorEvent.VersionStateChanged(request.keyId(), request.version(),
                        KeyState.DESTROYED, "shares " + version.shredded() + " shredded: " + remaining
                                + " remain, fewer than the threshold " + version.manifest().threshold()));
            }
            lifecycle.finish(view.requestId(), RequestState.EXECUTED, "nodes " + view.shreddedNodes()
                    + " shredded their shares");
        }
    }
}
