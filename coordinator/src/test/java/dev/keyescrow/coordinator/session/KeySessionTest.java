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
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session serves its requester only, within its budget and time; the caller's copy of the
 * key is zeroed as soon as the token holds it. The budget logic runs here over the
 * development vault; the token side is {@code TokenContract}'s (both token kinds), and
 * {@code CoordinatorSoftHsmTest} runs a session through SoftHSM2.
 */
class KeySessionTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private final SecureRandom random = new SecureRandom();
    @TempDir
    Path dir;
    private Token token;

    @BeforeEach
    void token() throws Exception {
        Path passphrase = dir.resolve("coordinator.pass");
        Files.writeString(passphrase, "passphrase-for-sessions");
        token = SoftwareToken.provision(DevelopmentMode.explicitlyEnabled(), dir.resolve("coordinator.vault"),
                PinSource.fromFile(passphrase), "coordinator", random);
    }

    @AfterEach
    void close() {
        token.close();
    }

    private SecretBytes aesKey() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return SecretBytes.moveFrom(raw);
    }

    private KeySession session(SecretBytes key, long maxOperations, boolean mayProtect) throws TokenFailureException {
        return new KeySessions(token, random).open("req-1", "alice", KeyAlgorithm.AES_256, key,
                new RequestParams.Use(maxOperations, 60), NOW, mayProtect);
    }

    @Test
    void encryptDecryptRoundTrip_thenBudgetEndsIt_theCallersKeyZeroedAtOnce() throws Exception {
        SecretBytes key = aesKey();
        KeySession session = session(key, 2, true);
        assertTrue(key.isDestroyed(), "the token holds the key; the caller's copy is zeroed at open");
        byte[] sealed = session.encrypt("alice", new byte[] {1, 2, 3}, new byte[] {9}, NOW);
        assertArrayEquals(new byte[] {1, 2, 3}, session.decrypt("alice", sealed, new byte[] {9}, NOW));
        assertFalse(session.isOpen());
        RefusedException after = assertThrows(RefusedException.class,
                () -> session.encrypt("alice", new byte[] {1}, null, NOW));
        assertEquals(RefusalReason.SESSION_CLOSED, after.reason());
    }

    @Test
    void anotherOperator_isForbidden_andUsesNothing() throws Exception {
        KeySession session = session(aesKey(), 1, true);
        RefusedException e = assertThrows(RefusedException.class,
                () -> session.encrypt("bob", new byte[] {1}, null, NOW));
        assertEquals(RefusalReason.FORBIDDEN, e.reason());
        assertEquals(0, session.used());
        session.encrypt("alice", new byte[] {1}, null, NOW);
        assertEquals(1, session.used());
    }

    @Test
    void afterItsTime_theSessionEnds() throws Exception {
        KeySession session = session(aesKey(), 100, true);
        RefusedException e = assertThrows(RefusedException.class,
                () -> session.encrypt("alice", new byte[] {1}, null, NOW.plusSeconds(60)));
        assertEquals(RefusalReason.SESSION_CLOSED, e.reason());
        assertEquals(KeySession.End.TIMED_OUT, session.ended());
    }

    @Test
    void aDeactivatedVersion_decryptsButNeverEncrypts() throws Exception {
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
    void tamperedCiphertext_isRefusedByName() throws Exception {
        KeySession session = session(aesKey(), 5, true);
        byte[] sealed = session.encrypt("alice", new byte[] {1, 2, 3}, null, NOW);
        sealed[sealed.length - 1] ^= 1;
        RefusedException e = assertThrows(RefusedException.class, () -> session.decrypt("alice", sealed, null, NOW));
        assertEquals(RefusalReason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("does not authenticate"));
        assertEquals(1, session.used());
    }
}
