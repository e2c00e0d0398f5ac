package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.hsm.spec.EphemeralKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The private halves of the ephemeral keys of live requests, in memory. Each is destroyed
 * (zeroed) as soon as its request no longer needs it: once its shares were combined, or at
 * any terminal state.
 */
public final class EphemeralKeys implements AutoCloseable {
    private final Map<String, EphemeralKey> keys = new ConcurrentHashMap<>();

    public void put(String requestId, EphemeralKey key) {
        EphemeralKey previous = keys.put(requestId, key);
        if (previous != null && previous != key) {
            previous.close();
        }
    }

    public Optional<EphemeralKey> get(String requestId) {
        return Optional.ofNullable(keys.get(requestId));
    }

    public boolean holds(String requestId) {
        return keys.containsKey(requestId);
    }

    /** Zeroes and forgets the key of {@code requestId}; idempotent. */
    public void destroy(String requestId) {
        EphemeralKey key = keys.remove(requestId);
        if (key != null) {
            key.close();
        }
    }

    @Override
    public void close() {
        keys.values().forEach(EphemeralKey::close);
        keys.clear();
    }
}
