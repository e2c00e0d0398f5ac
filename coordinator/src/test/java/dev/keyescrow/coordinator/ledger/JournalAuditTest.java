package dev.keyescrow.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.keyescrow.journal.VerificationReport;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A verification answers for {@link JournalAudit#REUSE}; after that the journal is read again. */
class JournalAuditTest {
    @Test
    void aVerificationIsSharedWithinItsWindowAndReadAgainAfterIt() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T12:00:00Z"));
        AtomicInteger reads = new AtomicInteger();
        JournalAudit audit = new JournalAudit(() -> {
            reads.incrementAndGet();
            return null; // the report's content is not this class's business
        }, now::get);
        JournalAudit.Verified first = audit.verify();
        now.set(now.get().plus(JournalAudit.REUSE).minusMillis(1));
        assertSame(first, audit.verify(), "within the window the same verification answers");
        assertEquals(1, reads.get());
        now.set(now.get().plusMillis(1));
        JournalAudit.Verified second = audit.verify();
        assertEquals(2, reads.get(), "after the window the journal is read again");
        assertEquals(now.get(), second.at());
        // a clock that went back never makes an old verification look fresh for longer
        now.set(first.at().minusSeconds(1));
        audit.verify();
        assertEquals(3, reads.get());
        assertEquals(3, audit.reads());
        VerificationReport unused = second.report();
        assertEquals(null, unused);
    }
}
