package dev.keyescrow.coordinator.session;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open USE sessions, by request id. In memory only: a restart ends every session and
 * none is ever rebuilt from stored releases (DESIGN.md, Coordinator restart).
 */
public final class KeySessions implements AutoCloseable {
    private final Map<String, KeySession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random;

    public KeySessions(SecureRandom random) {
        this.random = random;
    }

    /**
     * Opens a session over {@code key}, which the session now owns (and zeroes when it ends).
     *
     * @param mayProtect whether the key version is ACTIVE (encrypt and sign allowed)
     */
    public KeySession open(String requestId, String requester, KeyAlgorithm algorithm, SecretBytes key,
            RequestParams.Use params, Instant now, boolean mayProtect) {
        KeySession session = new KeySession(requestId, requester, algorithm, key, params.maxOperations(),
                now.plusSeconds(params.sessionSeconds()), mayProtect, random);
        KeySession previous = sessions.putIfAbsent(requestId, session);
        if (previous != null) {
            session.close();
            return previous;
        }
        return session;
    }

    /** The session of {@code requestId}, open or ended. */
    public KeySession get(String requestId) throws RefusedException {
        KeySession session = sessions.get(requestId);
        if (session == null) {
            throw new RefusedException(RefusalReason.SESSION_CLOSED, "request " + requestId
                    + " has no session: it is not approved and reconstructed yet, or it ended");
        }
        return session;
    }

    public boolean isOpen(String requestId) {
        KeySession session = sessions.get(requestId);
        return session != null && session.isOpen();
    }

    /** Sessions whose deadline passed at {@code now}: closed here, returned for bookkeeping. */
    public List<KeySession> expire(Instant now) {
        List<KeySession> expired = new ArrayList<>();
        for (KeySession session : sessions.values()) {
            if (session.isOpen() && !now.isBefore(session.deadline())) {
                session.timeOut();
                expired.add(session);
            }
        }
        return expired;
    }

    /** Ends and forgets the session of {@code requestId} (its request is over), zeroing its key. */
    public void end(String requestId) {
        KeySession session = sessions.remove(requestId);
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void close() {
        sessions.values().forEach(KeySession::close);
    }
}
