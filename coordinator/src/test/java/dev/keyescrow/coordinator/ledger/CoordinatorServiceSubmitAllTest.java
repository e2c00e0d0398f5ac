package dev.keyescrow.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.ReplayHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CoordinatorService#submitAll}: a burst of events validated together, a refused one
 * refusing only itself, the others journaled in order as one sealed batch and durable.
 */
class CoordinatorServiceSubmitAllTest {
    private static final CoordinatorLedgerStateMachineProperties.Fixture FIXTURE =
            new CoordinatorLedgerStateMachineProperties.Fixture();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private CoordinatorService open() throws Exception {
        return CoordinatorService.open(dir, FIXTURE.coordinator, FIXTURE.registry, CLOCK);
    }

    private CoordinatorService openWithRequest() throws Exception {
        CoordinatorService service = open();
        for (CoordinatorEvent event : FIXTURE.keyCreation()) {
            assertTrue(service.submit(event), event.type());
        }
        assertTrue(service.submit(FIXTURE.requestCreated("req-a")));
        return service;
    }

    private static CoordinatorEvent.ReleaseAccepted release(int index, String node) {
        return new CoordinatorEvent.ReleaseAccepted("req-a", index, node, "0".repeat(63) + index);
    }

    /** Every record of the journal, read back through the journal's public reader. */
    private List<JournalRecord> records() throws Exception {
        List<JournalRecord> records = new ArrayList<>();
        try (Journal journal = Journal.open(dir.resolve(CoordinatorService.JOURNAL_DIRECTORY), FIXTURE.coordinator,
                CLOCK, new ReplayHandler() {
                    @Override
                    public boolean wantsCheckpointedPrefix() {
                        return true;
                    }

                    @Override
                    public void record(JournalRecord record) {
                        records.add(record);
                    }
                })) {
            return records;
        }
    }

    @Test
    void aRefusedEventInTheMiddleRefusesOnlyItself_theOthersAreOneDurableSealedBatchInOrder() throws Exception {
        long before;
        byte[] digestAfter;
        try (CoordinatorService service = openWithRequest()) {
            before = service.head().sequence();
            // share 2 is held by node-1: a release of it from node-2 is refused
            List<SubmitOutcome> outcomes = service.submitAll(List.of(release(1, "node-1"), release(2, "node-2"),
                    release(3, "node-2")));
            assertEquals(List.of(SubmitOutcome.Status.JOURNALED, SubmitOutcome.Status.REFUSED,
                    SubmitOutcome.Status.JOURNALED), outcomes.stream().map(SubmitOutcome::status).toList());
            assertTrue(outcomes.get(1).problem().getMessage().contains("held by node-1"),
                    outcomes.get(1).problem().getMessage());
            assertEquals(before + 2, service.head().sequence(), "the refused release is not journaled");
            assertEquals(Set.of(1, 3), service.request("req-a").orElseThrow().releases().keySet());
            digestAfter = service.stateDigest();
        }
        List<JournalRecord> records = records();
        assertEquals(before + 2, records.size());
        JournalRecord first = records.get((int) before);
        JournalRecord second = records.get((int) before + 1);
        assertTrue(records.get((int) before - 1).sealed(), "the record before the batch closes its own batch");
        assertFalse(first.sealed(), "one batch: only its last record is signed");
        assertTrue(second.sealed());
        assertEquals(1, ((CoordinatorEvent.ReleaseAccepted) CoordinatorEvents.decode(first.body())).index());
        assertEquals(3, ((CoordinatorEvent.ReleaseAccepted) CoordinatorEvents.decode(second.body())).index());
        try (CoordinatorService reopened = open()) {
            assertEquals(Set.of(1, 3), reopened.request("req-a").orElseThrow().releases().keySet());
            assertArrayEquals(digestAfter, reopened.stateDigest(), "the replay gives the same ledger");
        }
    }

    @Test
    void eachEventIsValidatedAgainstTheEarlierEventsOfItsBatch() throws Exception {
        byte[] otherKey = Ed25519.publicKeyOf(Ed25519.generatePrivateKey(FIXTURE.random));
        byte[] sixthKey = Ed25519.publicKeyOf(Ed25519.generatePrivateKey(FIXTURE.random));
        try (CoordinatorService service = openWithRequest()) {
            long before = service.head().sequence();
            List<SubmitOutcome> outcomes = service.submitAll(List.of(
                    release(1, "node-1"),
                    release(1, "node-1"), // a repeat of the one just before: unchanged
                    new CoordinatorEvent.CustodianRegistered("custodian-6", sixthKey, "node-3"),
                    // the same id with another key, refused because of the event just before
                    new CoordinatorEvent.CustodianRegistered("custodian-6", otherKey, "node-3"),
                    release(5, "node-3")));
            assertEquals(List.of(SubmitOutcome.Status.JOURNALED, SubmitOutcome.Status.UNCHANGED,
                    SubmitOutcome.Status.JOURNALED, SubmitOutcome.Status.REFUSED, SubmitOutcome.Status.JOURNALED),
                    outcomes.stream().map(SubmitOutcome::status).toList());
            assertEquals(before + 3, service.head().sequence());
            assertArrayEquals(sixthKey, service.custodian("custodian-6").orElseThrow().publicKey());
            assertEquals(Set.of(1, 5), service.request("req-a").orElseThrow().releases().keySet());
        }
    }
}
