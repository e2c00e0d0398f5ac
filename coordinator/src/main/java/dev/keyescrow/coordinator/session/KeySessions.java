package dev.keyescrow.coordinator.session;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.SessionKey;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenFailureException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open USE sessions, by request id. Each key lives in the coordinator's token as a
 * session object, which the token forgets when this process ends: a restart ends every
 * session and none is ever rebuilt from stored releases (design: Coordinator restart).
 */
public final class KeySessions implements AutoCloseable {
    private final Map<String, KeySession> sessions = new ConcurrentHashMap<>();
    private final Token token;
    private final SecureRandom random;

    public KeySessions(Token token, SecureRandom random) {
        this.token = token;
        this.random = random;
    }

    /**
     * Opens a session over {@code key}: loads it into the token and zeroes {@code key}, on
     * every path, so from here on the key exists only inside the token.
     *
     * @param mayProtect whether the key version is ACTIVE (encrypt and sign allowed)
     * @throws TokenFailureException if the token cannot hold the key
     */
    public KeySession open(String requestId, String requester, KeyAlgorithm algorithm, SecretBytes key,
            RequestParams.Use params, Instant now, boolean mayProtect) throws TokenFailureException {
        SessionKey inToken;
        try {
            inToken = token.openSessionKey(algorithm, key);
        } finally {
            key.destroy();
        }
        KeySession session = new KeySession(requestId, requester, algorithm, inToken, params.maxOperations(),
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

    /** Sessions open now (their keys are held in the token). */
    public int openCount() {
        return (int) sessions.values().stream().filter(KeySession::isOpen).count();
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

    /** Ends and forgets the session of {@code requestId} (its request is over), destroying its key. */
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
