package dev.keyescrow.coordinator.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A session serves its requester only, within its budget and time, and zeroes its key when it ends. */
class KeySessionTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private final SecureRandom random = new SecureRandom();

    private SecretBytes aesKey() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return SecretBytes.moveFrom(raw);
    }

    private KeySession session(SecretBytes key, long maxOperations, boolean mayProtect) {
        return new KeySessions(random).open("req-1", "alice", KeyAlgorithm.AES_256, key,
                new RequestParams.Use(maxOperations, 60), NOW, mayProtect);
    }

    @Test
    void encryptDecryptRoundTrip_thenBudgetEndsItAndZeroesTheKey() throws RefusedException {
        SecretBytes key = aesKey();
        KeySession session = session(key, 2, true);
        byte[] sealed = session.encrypt("alice", new byte[] {1, 2, 3}, new byte[] {9}, NOW);
        assertArrayEquals(new byte[] {1, 2, 3}, session.decrypt("alice", sealed, new byte[] {9}, NOW));
        assertFalse(session.isOpen());
        assertTrue(key.isDestroyed());
        RefusedException after = assertThrows(RefusedException.class,
                () -> session.encrypt("alice", new byte[] {1}, null, NOW));
        assertEquals(RefusalReason.SESSION_CLOSED, after.reason());
    }

    @Test
    void anotherOperator_isForbidden_andUsesNothing() throws RefusedException {
        KeySession session = session(aesKey(), 1, true);
        RefusedException e = assertThrows(RefusedException.class,
                () -> session.encrypt("bob", new byte[] {1}, null, NOW));
        assertEquals(RefusalReason.FORBIDDEN, e.reason());
        assertEquals(0, session.used());
        session.encrypt("alice", new byte[] {1}, null, NOW);
        assertEquals(1, session.used());
    }

    @Test
    void afterItsTime_theSessionEnds() {
        SecretBytes key = aesKey();
        KeySession session = session(key, 100, true);
        RefusedException e = assertThrows(RefusedException.class,
                () -> session.encrypt("alice", new byte[] {1}, null, NOW.plusSeconds(60)));
        assertEquals(RefusalReason.SESSION_CLOSED, e.reason());
        assertEquals(KeySession.End.TIMED_OUT, session.ended());
        assertTrue(key.isDestroyed());
    }

    @Test
    void aDeactivatedVersion_decryptsButNeverEncrypts() throws RefusedException {
        SecretBytes key = aesKey();
        byte[] sealed;
        try (SecretBytes copy = SecretBytes.copyFrom(key.toByteArray(dev.keyescrow.core.secret.SecretAccess
                .plaintext()))) {
            sealed = session(copy, 5, true).encrypt("alice", new byte[] {4, 2}, null, NOW);
        }
        KeySession old = session(key, 5, false);
        assertEquals(RefusalReason.WRONG_STATE, assertThrows(RefusedException.class,
                () -> old.encrypt("alice", new byte[] {1}, null, NOW)).reason());
        assertArrayEquals(new byte[] {4, 2}, old.decrypt("alice", sealed, null, NOW));
    }

    @Test
    void tamperedCiphertext_isRefusedByName() throws RefusedException {
        KeySession session = session(aesKey(), 5, true);
        byte[] sealed = session.encrypt("alice", new byte[] {1, 2, 3}, null, NOW);
        sealed[sealed.length - 1] ^= 1;
        RefusedException e = assertThrows(RefusedException.class, () -> session.decrypt("alice", sealed, null, NOW));
        assertEquals(RefusalReason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("does not authenticate"));
        assertEquals(1, session.used());
    }
}
