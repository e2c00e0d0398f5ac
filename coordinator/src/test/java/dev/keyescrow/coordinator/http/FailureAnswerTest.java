package dev.keyescrow.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.cluster.ClusterUnavailableException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import dev.keyescrow.journal.Defect;
import dev.keyescrow.journal.JournalCorruptException;
import dev.keyescrow.journal.RecordFault;
import dev.keyescrow.server.http.FailureAnswer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Failures that are not refusals: each names the part that failed, and only the unexpected are logged. */
class FailureAnswerTest {
    private static final String TOKEN_FAULT_DETAIL = "C_Encrypt returned CKR_DEVICE_ERROR";

    @Test
    void aTokenFailure_isTokenUnavailable_notAJournalProblem() {
        for (Throwable e : List.of(new TokenFailureException(TOKEN_FAULT_DETAIL),
                new TokenNotProvisionedException("no key-encryption key"))) {
            FailureAnswer a = FailureAnswer.of(e, "coordinator", "POST /v1/requests/r-1/encrypt");
            assertEquals(503, a.status());
            assertEquals("https://keyescrow.dev/problems/token-unavailable", a.type());
            assertTrue(a.detail().contains("coordinator's token failed"), a.detail());
            assertFalse(a.detail().contains("CKR_"), "the token's own message stays in the server");
        }
    }

    @Test
    void journalAndClusterFailures_nameTheirPart() {
        JournalCorruptException corrupt = new JournalCorruptException(
                new RecordFault(7, 900, Defect.IMPOSSIBLE_LENGTH, "test"));
        assertEquals("https://keyescrow.dev/problems/journal-unavailable",
                FailureAnswer.of(corrupt, "node", "POST /x").type());
        FailureAnswer io = FailureAnswer.of(new IOException("No space left on device"), "node", "POST /x");
        assertEquals(503, io.status());
        assertEquals("https://keyescrow.dev/problems/journal-unavailable", io.type());
        assertEquals("the node could not record the change durably; nothing was accepted", io.detail());
        FailureAnswer cluster = FailureAnswer.of(new ClusterUnavailableException("no backup"), "coordinator", "POST /x");
        assertEquals(503, cluster.status());
        assertEquals("https://keyescrow.dev/problems/cluster-unavailable", cluster.type());
    }

    @Test
    void anUnexpectedFailure_is500_andIsLoggedOnceWithItsStackTrace() {
        Logger logger = Logger.getLogger(FailureAnswer.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            for (Throwable e : List.of(new IllegalStateException("bug"), new SignatureException("not a refusal here"))) {
                records.clear();
                FailureAnswer a = FailureAnswer.of(e, "coordinator", "GET /v1/keys");
                assertEquals(500, a.status());
                assertEquals("https://keyescrow.dev/problems/internal", a.type());
                assertFalse(a.detail().contains(e.getClass().getSimpleName()), a.detail());
                assertEquals(1, records.size());
                assertSame(e, records.get(0).getThrown(), "the stack trace is kept");
                assertTrue(records.get(0).getMessage().contains("GET /v1/keys"));
            }
            records.clear();
            FailureAnswer.of(new TokenFailureException(TOKEN_FAULT_DETAIL), "coordinator", "GET /v1/keys");
            assertEquals(0, records.size(), "an expected outage is answered, not logged as a bug");
        } finally {
            logger.removeHandler(capture);
        }
    }
}
