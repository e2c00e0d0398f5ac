package dev.keyescrow.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterWorkerTest {
    @Test
    void aBusyWorkerQueuesAtMostTheLimitAndDropsAndCountsTheRest() throws Exception {
        List<String> log = new ArrayList<>();
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (ClusterWorker worker = new ClusterWorker("test-worker", log::add)) {
            worker.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int accepted = 0;
            for (int i = 0; i < ClusterLimits.MAX_QUEUED_MESSAGES + 500; i++) {
                accepted += worker.offer(100, handled::incrementAndGet) ? 1 : 0;
            }
            assertEquals(ClusterLimits.MAX_QUEUED_MESSAGES, accepted);
            assertEquals(500, worker.droppedCount());
            assertFalse(worker.idle());
            release.countDown();
            worker.drain();
            assertEquals(ClusterLimits.MAX_QUEUED_MESSAGES, handled.get());
            assertTrue(worker.idle());
            assertTrue(worker.takeDropped(), "a drop asks the bridge to catch up from the maps");
            assertFalse(worker.takeDropped(), "once");
            assertEquals(500, log.size(), "every drop is reported; the caller rate-limits the log");
        }
    }

    @Test
    void theQueueIsBoundedInBytesToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ClusterWorker worker = new ClusterWorker("test-worker", line -> { })) {
            worker.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int accepted = 0;
            for (int i = 0; i < 100; i++) {
                accepted += worker.offer(ClusterLimits.MAX_MESSAGE_BYTES, () -> { }) ? 1 : 0;
            }
            assertEquals(ClusterLimits.MAX_QUEUED_BYTES / ClusterLimits.MAX_MESSAGE_BYTES, accepted);
            assertTrue(worker.highWaterBytes() <= ClusterLimits.MAX_QUEUED_BYTES);
            release.countDown();
            worker.drain();
        }
    }
}
