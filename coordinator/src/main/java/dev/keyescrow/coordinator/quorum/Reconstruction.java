package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ceremony.KeyMaterial;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.Statements;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one step that rebuilds a key from its shares, for USE, REFRESH and RESHARE: each release
 * is verified ({@link ReleaseVerifier}: the node's signature, the share opened with the
 * request's ephemeral key, its commitment) and its share kept; with {@code t} of them the key
 * is combined, the shares and the ephemeral key are zeroed, the KCV is checked, and only a key
 * that matches is handed over. A failure ends the request FAILED, naming why.
 *
 * <p>EXPORT shares only the first part: its releases are verified and gathered, never opened
 * ({@link ExportHandler}). Called under the workflow's monitor.
 */
final class Reconstruction {
    /** Takes a checked key: it owns it from then on and destroys it on every path. */
    interface Handover {
        void take(SecretBytes key, Set<Integer> indices) throws IOException, KeyEscrowException;
    }

    private final ReleaseVerifier verifier;
    private final EphemeralKeys keys;
    private final RequestLifecycle lifecycle;
    /** The verified shares of each request, waiting for the combine. */
    private final Map<String, Map<Integer, Share>> pending = new HashMap<>();

    Reconstruction(ReleaseVerifier verifier, EphemeralKeys keys, RequestLifecycle lifecycle) {
        this.verifier = verifier;
        this.keys = keys;
        this.lifecycle = lifecycle;
        lifecycle.whenOver(this::forget);
    }

    /** Whether share {@code index} is still wanted: not kept yet, and fewer than {@code t} kept. */
    boolean wants(String requestId, int index, int threshold) {
        Map<Integer, Share> shares = pending.getOrDefault(requestId, Map.of());
        return !shares.containsKey(index) && shares.size() < threshold;
    }

    /** Verifies a release and keeps its share; returns the event that journals it. */
    CoordinatorEvent.ReleaseAccepted verifyAndKeep(RequestView view, ReleaseMessage release, Manifest manifest,
            EphemeralKey key) throws BadReleaseException {
        Share share = verifier.verify(release, view.request(), manifest, key);
        pending.computeIfAbsent(view.requestId(), k -> new TreeMap<>()).put(share.index(), share);
        return new CoordinatorEvent.ReleaseAccepted(view.requestId(), share.index(), release.nodeId(),
                HexFormat.of().formatHex(Statements.sha256(release.wrapped())));
    }

    /** Drops and zeroes a kept share whose release the ledger refused: it is never combined. */
    void drop(String requestId, int index) {
        Optional.ofNullable(pending.get(requestId)).map(m -> m.remove(index)).ifPresent(Share::destroy);
    }

    /** Whether {@code t} verified shares of the request are in. */
    boolean ready(String requestId, Manifest manifest) {
        Map<Integer, Share> shares = pending.get(requestId);
        return shares != null && shares.size() >= manifest.threshold();
    }

    /**
     * Combines the kept shares (call only when {@link #ready}), zeroes them and the ephemeral
     * key, checks the KCV, and hands a matching key to {@code handover}; otherwise the request
     * is FAILED.
     */
    void rebuild(RequestView view, Manifest manifest, Handover handover) throws IOException, KeyEscrowException {
        String requestId = view.requestId();
        Map<Integer, Share> shares = pending.remove(requestId);
        keys.destroy(requestId);
        SecretBytes key;
        try {
            key = manifest.reconstruct(new ArrayList<>(shares.values()));
        } catch (SharingException e) {
            lifecycle.finish(requestId, RequestState.FAILED, "reconstruction refused: " + e.getMessage());
            return;
        } finally {
            shares.values().forEach(Share::destroy);
        }
        boolean matches;
        try {
            matches = KeyMaterial.kcvOf(manifest.algorithm(), key).equals(manifest.kcv());
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
        if (!matches) {
            key.destroy();
            lifecycle.finish(requestId, RequestState.FAILED, "the reconstructed key does not match the manifest's KCV");
            return;
        }
        handover.take(key, shares.keySet());
    }

    private void forget(String requestId) {
        Map<Integer, Share> shares = pending.remove(requestId);
        if (shares != null) {
            shares.values().forEach(Share::destroy);
        }
    }
}
