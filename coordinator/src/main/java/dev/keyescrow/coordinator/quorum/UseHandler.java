package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.coordinator.session.KeySessions;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.TokenFailureException;
import java.io.IOException;
import java.util.Set;

/**
 * USE: with {@code t} verified shares, the key is rebuilt ({@link Reconstruction}) and loaded
 * into the coordinator's token as the request's session key; the request is then ACTIVE until
 * its session ends. The session ends with the request.
 */
final class UseHandler implements OperationHandler {
    private final Reconstruction reconstruction;
    private final KeySessions sessions;
    private final RequestLifecycle lifecycle;

    UseHandler(Reconstruction reconstruction, KeySessions sessions, RequestLifecycle lifecycle) {
        this.reconstruction = reconstruction;
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        lifecycle.whenOver(sessions::end);
    }

    @Override
    public void advance(RequestView view) throws IOException, KeyEscrowException {
        Manifest manifest = lifecycle.manifestOf(view.request());
        if (reconstruction.ready(view.requestId(), manifest)) {
            KeyVersionView version = lifecycle.service().version(manifest.keyId(), manifest.version()).orElseThrow();
            reconstruction.rebuild(view, manifest, (key, indices) -> openSession(view, version, key, indices));
        }
    }

    private void openSession(RequestView view, KeyVersionView version, SecretBytes key, Set<Integer> indices)
            throws IOException, KeyEscrowException {
        String requestId = view.requestId();
        CanonicalRequest request = view.request();
        if (!(request.params() instanceof RequestParams.Use use)) {
            key.destroy();
            return;
        }
        try {
            // open zeroes the key on every path
            sessions.open(requestId, request.requester(), version.manifest().algorithm(), key, use,
                    lifecycle.service().now(), version.state().protects());
        } catch (TokenFailureException e) {
            lifecycle.finish(requestId, RequestState.FAILED, "the coordinator's token could not hold the key: "
                    + e.getMessage());
            return;
        }
        lifecycle.service().submit(new CoordinatorEvent.RequestStateChanged(requestId, RequestState.ACTIVE,
                "key reconstructed from shares " + indices + "; session open for "
                        + use.maxOperations() + " operations, " + use.sessionSeconds() + " s"));
        lifecycle.forgetSealedKey(requestId); // combined: no release will need opening again
    }
}
