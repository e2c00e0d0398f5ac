package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.signature.Signer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Group commit under concurrency: whatever the interleaving of writers (their number, how many
 * records each appends, how long each pauses, which batches the signer refuses), the journal on
 * disk is a chain that verifies, reopens to the same head, and holds exactly the records whose
 * append returned, each with the sequence and hash the writer was given. Real threads on a real
 * file; the schedule comes from the generated pauses and from the scheduler itself.
 */
class GroupCommitProperties {

    @Property(tries = 25)
    void concurrentAppendsGiveAVerifiedChainOfExactlyTheAcknowledgedRecords(
            @ForAll @IntRange(min = 1, max = 16) int writers,
            @ForAll @IntRange(min = 1, max = 30) int recordsPerWriter,
            @ForAll @IntRange(min = 0, max = 7) int refuseEverySignature,
            @ForAll long seed) throws Exception {
        Path dir = Files.createTempDirectory("group-commit");
        try {
            // refuseEverySignature = k > 0: the signer refuses every k-th seal, failing that whole batch
            FlakySigner signer = new FlakySigner(refuseEverySignature);
            Map<String, JournalRecord> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger refused = new AtomicInteger();
            List<Throwable> unexpected = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            try (Journal journal = Journal.open(dir, signer, Clock.systemUTC(), ReplayHandler.IGNORE)) {
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    Random pauses = new Random(seed + w);
                    threads.add(new Thread(() -> {
                        try {
                            start.await();
                            for (int i = 0; i < recordsPerWriter; i++) {
                                String name = "w" + writer + "-r" + i;
                                byte[] body = (name + "-" + "x".repeat(pauses.nextInt(200)))
                                        .getBytes(StandardCharsets.US_ASCII);
                                if (pauses.nextInt(4) == 0) {
                                    Thread.sleep(pauses.nextInt(3));
                                } else if (pauses.nextBoolean()) {
                                    Thread.yield();
                                }
                                try {
                                    JournalRecord record = journal.append("w" + writer, body);
                                    assertArrayEquals(body, record.body());
                                    acknowledged.put(new String(body, StandardCharsets.US_ASCII), record);
                                } catch (KeyEscrowException e) {
                                    refused.incrementAndGet();
                                }
                            }
                        } catch (Throwable t) {
                            synchronized (unexpected) {
                                unexpected.add(t);
                            }
                        }
                    }));
                }
                threads.forEach(Thread::start);
                start.countDown();
                for (Thread t : threads) {
                    t.join();
                }
                assertEquals(List.of(), unexpected);
                assertEquals(writers * recordsPerWriter, acknowledged.size() + refused.get(),
                        "every append either returned or failed");
                assertEquals(acknowledged.size(), journal.head().sequence());
            }

            VerificationReport report = JournalVerifier.verify(dir.resolve(Journal.JOURNAL_FILE), signer.publicKey());
            assertTrue(report.ok(), report.summary());
            assertEquals(0, report.tornBytes(), "nothing unsealed is left behind");
            assertEquals(acknowledged.size(), report.recordCount());

            Map<String, JournalRecord> onDisk = new HashMap<>();
            List<JournalRecord> replayed = new ArrayList<>();
            try (Journal reopened = Journal.open(dir, signer, Clock.systemUTC(), replayed::add)) {
                assertEquals(0, reopened.openReport().tornBytesCut());
                assertEquals(report.head(), reopened.head());
            }
            for (JournalRecord record : replayed) {
                onDisk.put(new String(record.body(), StandardCharsets.US_ASCII), record);
            }
            assertEquals(acknowledged.keySet(), onDisk.keySet(), "exactly the acknowledged records are in the journal");
            for (Map.Entry<String, JournalRecord> e : acknowledged.entrySet()) {
                JournalRecord disk = onDisk.get(e.getKey());
                assertEquals(e.getValue().sequence(), disk.sequence(), e.getKey());
                assertArrayEquals(e.getValue().hash(), disk.hash(), e.getKey());
            }
            if (!replayed.isEmpty()) {
                assertTrue(replayed.get(replayed.size() - 1).sealed(), "the last record is a seal");
            }
            // one signature per batch: every signature given made exactly one seal on disk
            long seals = replayed.stream().filter(JournalRecord::sealed).count();
            assertEquals(signer.given.get(), seals, "signatures given vs seals written");
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The test writer key, refusing every {@code every}-th signature (never when 0). */
    private static final class FlakySigner implements Signer {
        private final int every;
        final AtomicInteger signatures = new AtomicInteger();
        final AtomicInteger given = new AtomicInteger();

        FlakySigner(int every) {
            this.every = every;
        }

        @Override
        public byte[] publicKey() {
            return TestKeys.WRITER.publicKey();
        }

        @Override
        public byte[] sign(byte[] message) throws KeyEscrowException {
            int n = signatures.incrementAndGet();
            if (every > 0 && n % every == 0) {
                throw new KeyEscrowException("test signer refuses signature " + n);
            }
            byte[] signature = TestKeys.WRITER.sign(message);
            given.incrementAndGet();
            return signature;
        }
    }
}
