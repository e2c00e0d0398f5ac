package dev.keyescrow.coordinator.session;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.hsm.SessionKey;
import dev.keyescrow.hsm.TokenFailureException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;

/**
 * One open USE session: a reconstructed key, held by the coordinator's token as a
 * non-extractable session object ({@link SessionKey}), the only operator it serves, and what
 * is left of the approved budget (operations and time). Every operation checks, in this order, the
 * operator, that the session is open, the deadline, the budget, and what the key version's
 * state still allows (encrypt and sign only while ACTIVE); a refused operation uses nothing.
 * {@link #close()} destroys the key in the token; the session then refuses everything.
 *
 * <p>Thread-safe: operations are serialised, so the count is exact.
 */
public final class KeySession implements AutoCloseable {
    /** Why a session ended, for its request's history. */
    public enum End {
        EXHAUSTED,
        TIMED_OUT,
        CLOSED
    }

    private final String requestId;
    private final String requester;
    private final KeyAlgorithm algorithm;
    private final SessionKey key;
    private final long maxOperations;
    private final Instant deadline;
    private final boolean mayProtect;
    private final SecureRandom random;
    private long used;
    private End ended;

    KeySession(String requestId, String requester, KeyAlgorithm algorithm, SessionKey key, long maxOperations,
            Instant deadline, boolean mayProtect, SecureRandom random) {
        this.requestId = requestId;
        this.requester = requester;
        this.algorithm = algorithm;
        this.key = Objects.requireNonNull(key, "key");
        this.maxOperations = maxOperations;
        this.deadline = deadline;
        this.mayProtect = mayProtect;
        this.random = random;
    }

    public String requestId() {
        return requestId;
    }

    public synchronized long used() {
        return used;
    }

    public long maxOperations() {
        return maxOperations;
    }

    public Instant deadline() {
        return deadline;
    }

    public synchronized boolean isOpen() {
        return ended == null;
    }

    public synchronized End ended() {
        return ended;
    }

    public synchronized byte[] encrypt(String operator, byte[] plaintext, byte[] aad, Instant now)
            throws RefusedException, TokenFailureException {
        admit(operator, now, true, algorithm == KeyAlgorithm.AES_256, "encrypt");
        byte[] out = AesGcm.encrypt(key, plaintext, aad, random);
        count();
        return out;
    }

    public synchronized byte[] decrypt(String operator, byte[] ciphertext, byte[] aad, Instant now)
            throws RefusedException, TokenFailureException {
        admit(operator, now, false, algorithm == KeyAlgorithm.AES_256, "decrypt");
        byte[] out = AesGcm.decrypt(key, ciphertext, aad);
        count();
        return out;
    }

    public synchronized byte[] sign(String operator, byte[] message, Instant now)
            throws RefusedException, TokenFailureException {
        admit(operator, now, true, algorithm != KeyAlgorithm.AES_256, "sign");
        byte[] signature = key.sign(message);
        count();
        return signature;
    }

    private void admit(String operator, Instant now, boolean protects, boolean fitsKey, String operation)
            throws RefusedException {
        if (!requester.equals(operator)) {
            throw new RefusedException(RefusalReason.FORBIDDEN, "the session of request " + requestId
                    + " serves its requester only");
        }
        if (ended == null && !now.isBefore(deadline)) {
            end(End.TIMED_OUT);
        }
        if (ended != null) {
            throw new RefusedException(RefusalReason.SESSION_CLOSED, "the session of request " + requestId
                    + " has ended (" + ended.name().toLowerCase().replace('_', ' ') + ")");
        }
        if (!fitsKey) {
            throw new RefusedException(RefusalReason.INVALID, operation + " is not an operation of an "
                    + algorithm.wireName() + " key");
        }
        if (protects && !mayProtect) {
            throw new RefusedException(RefusalReason.WRONG_STATE, operation + " needs an ACTIVE key version;"
                    + " this one may only decrypt or verify");
        }
    }

    private void count() {
        used++;
        if (used >= maxOperations) {
            end(End.EXHAUSTED);
        }
    }

    private void end(End why) {
        if (ended == null) {
            ended = why;
            key.close();
        }
    }

    /** Ends the session because its time is up (the periodic sweep); destroys the key. */
    synchronized void timeOut() {
        end(End.TIMED_OUT);
    }

    /** Ends the session now and destroys the key; idempotent. */
    @Override
    public synchronized void close() {
        end(End.CLOSED);
    }

    @Override
    public String toString() {
        return "KeySession[" + requestId + ", " + algorithm.wireName() + ", key redacted]";
    }
}
