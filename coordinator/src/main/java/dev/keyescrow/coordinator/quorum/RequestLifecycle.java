package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What every operation handler of {@link RequestWorkflow} shares: the ledger service, the
 * problems sink, and the end of a request — its terminal state journaled, then everything it
 * held zeroed and forgotten (its ephemeral key, its sealed copy, whatever each handler kept).
 *
 * <p>Not thread-safe by itself: every call but {@link #finishQuietly} is made under the
 * workflow's monitor, which {@link #finishQuietly} takes for the background thread.
 */
final class RequestLifecycle {
    private final Object lock;
    private final CoordinatorService service;
    private final EphemeralKeys keys;
    private final SealedKeyStore sealedKeys;
    private final Consumer<String> problems;
    /** Requests whose ceremony (ROTATE, REFRESH, RESHARE) has started: it starts once. */
    private final Set<String> executing = new HashSet<>();
    private final List<Consumer<String>> forgetters = new ArrayList<>();

    RequestLifecycle(Object lock, CoordinatorService service, EphemeralKeys keys, SealedKeyStore sealedKeys,
            Consumer<String> problems) {
        this.lock = lock;
        this.service = service;
        this.keys = keys;
        this.sealedKeys = sealedKeys;
        this.problems = problems;
    }

    CoordinatorService service() {
        return service;
    }

    void problem(String message) {
        problems.accept(message);
    }

    Manifest manifestOf(CanonicalRequest request) {
        return service.version(request.keyId(), request.version()).orElseThrow().manifest();
    }

    /** Adds what a handler keeps per request, to zero and forget when the request is over. */
    void whenOver(Consumer<String> forget) {
        forgetters.add(forget);
    }

    /** Whether {@code requestId}'s ceremony may start now: once per request until it is over. */
    boolean startOnce(String requestId) {
        return executing.add(requestId);
    }

    /** Journals the terminal state, then releases what the request held. */
    void finish(String requestId, RequestState state, String reason) throws IOException, KeyEscrowException {
        service.submit(new CoordinatorEvent.RequestStateChanged(requestId, state, reason));
        release(requestId);
    }

    /** {@link #finish} from a background thread: takes the workflow's monitor; a failure is a problem. */
    void finishQuietly(String requestId, RequestState state, String reason) {
        try {
            synchronized (lock) {
                finish(requestId, state, reason);
            }
        } catch (IOException | KeyEscrowException e) {
            problems.accept("request " + requestId + " could not be marked " + state + ": " + e.getMessage());
        }
    }

    /** Zeroes and forgets everything the request held, its sealed ephemeral key included. */
    void release(String requestId) {
        keys.destroy(requestId);
        forgetSealedKey(requestId);
        forgetters.forEach(f -> f.accept(requestId));
        executing.remove(requestId);
    }

    /**
     * Deletes the sealed ephemeral key of a request that no longer needs it (its releases are
     * combined, or it is over); called after that state is journaled, so a crash in between
     * leaves a key that {@link RequestWorkflow#restore} deletes.
     */
    void forgetSealedKey(String requestId) {
        try {
            Optional<String> stored = service.sealedKey(requestId);
            if (stored.isPresent()) {
                sealedKeys.forget(stored.get());
            }
        } catch (IOException e) {
            problems.accept("the sealed key of " + requestId + " could not be deleted yet: " + e.getMessage());
        }
    }
}
