package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import java.io.IOException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * After a restart: requests still waiting for releases get their ephemeral keys back from the
 * sealed-key store (unsealed by the coordinator's token; a key sealed by an earlier version
 * fails its request); a session or export that was open has ended and is never rebuilt; every
 * sealed key no waiting request needs (a crash's leftovers) is deleted. Called under the
 * workflow's monitor.
 */
final class EphemeralKeyRecovery {
    private final RequestLifecycle lifecycle;
    private final EphemeralKeys keys;
    private final EphemeralKeyVault vault;
    private final SealedKeyStore sealedKeys;

    EphemeralKeyRecovery(RequestLifecycle lifecycle, EphemeralKeys keys, EphemeralKeyVault vault,
            SealedKeyStore sealedKeys) {
        this.lifecycle = lifecycle;
        this.keys = keys;
        this.vault = vault;
        this.sealedKeys = sealedKeys;
    }

    void run() throws IOException, KeyEscrowException {
        CoordinatorService service = lifecycle.service();
        Set<String> neededSealedKeys = new HashSet<>();
        for (RequestView view : service.requests()) {
            CanonicalRequest request = view.request();
            if (view.state() == RequestState.ACTIVE) {
                lifecycle.finish(view.requestId(), RequestState.FAILED, "the coordinator restarted: the open session"
                        + " or export ended and is never rebuilt");
            } else if (!view.state().isTerminal() && request.operation().needsRelease()) {
                Optional<byte[]> envelope = sealedEnvelope(view.requestId());
                if (envelope.isEmpty()) {
                    lifecycle.finish(view.requestId(), RequestState.FAILED, "its sealed ephemeral key is missing from"
                            + " the sealed-key store");
                    continue;
                }
                try {
                    keys.put(view.requestId(), vault.unseal(view.requestId(),
                            HexFormat.of().parseHex(view.digest()), request.ephemeralPublicKey(), envelope.get()));
                    service.sealedKey(view.requestId()).ifPresent(neededSealedKeys::add);
                } catch (KeyEscrowException e) {
                    lifecycle.finish(view.requestId(), RequestState.FAILED, "its ephemeral key could not be"
                            + " recovered: " + e.getMessage());
                }
            }
        }
        forgetSealedKeysExcept(neededSealedKeys);
    }

    /** The sealed envelope of a request's ephemeral key: from the sealed-key store, or inline in an older record. */
    private Optional<byte[]> sealedEnvelope(String requestId) throws IOException {
        Optional<String> stored = lifecycle.service().sealedKey(requestId);
        return stored.isPresent() ? sealedKeys.get(stored.get()) : lifecycle.service().inlineEnvelope(requestId);
    }

    /** Deletes every sealed key but those of the requests still waiting, then compacts. */
    private void forgetSealedKeysExcept(Set<String> needed) throws IOException {
        for (String id : sealedKeys.ids()) {
            if (!needed.contains(id)) {
                sealedKeys.forget(id);
            }
        }
        sealedKeys.compact();
    }
}
