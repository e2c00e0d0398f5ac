package dev.keyescrow.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Long-poll waiters on a real Vert.x instance: each fires once, on a change or at its deadline. */
class KeyedWaitersTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Parks on a Vert.x context, as an HTTP handler does, and returns the waiter. */
    private KeyedWaiters.Waiter park(KeyedWaiters waiters, String key, Duration max, Runnable wake) throws Exception {
        CompletableFuture<KeyedWaiters.Waiter> parked = new CompletableFuture<>();
        vertx.runOnContext(v -> parked.complete(waiters.park(key, max, wake)));
        return parked.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aChangeWakesTheWaitersOfItsKeyOnlyAndEachOnce() throws Exception {
        KeyedWaiters waiters = new KeyedWaiters(vertx, 10);
        AtomicInteger woken = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(2);
        park(waiters, "req-a", Duration.ofSeconds(60), () -> {
            woken.incrementAndGet();
            first.countDown();
        });
        park(waiters, "req-a", Duration.ofSeconds(60), () -> {
            woken.incrementAndGet();
            first.countDown();
        });
        KeyedWaiters.Waiter other = park(waiters, "req-b", Duration.ofSeconds(60), woken::incrementAndGet);
        assertEquals(3, waiters.parked());
        waiters.changed("req-a");
        waiters.changed("req-a");
        assertEquals(true, first.await(10, TimeUnit.SECONDS), "both req-a waiters woke");
        assertEquals(1, waiters.parked(), "req-b still waits");
        other.cancel();
        other.fire();
        CompletableFuture<Void> settled = new CompletableFuture<>();
        vertx.runOnContext(v -> settled.complete(null)); // let any stray wake-up run first
        settled.get(10, TimeUnit.SECONDS);
        assertEquals(2, woken.get(), "two wake-ups for req-a, none for the cancelled req-b");
        assertEquals(0, waiters.parked());
    }

    @Test
    void aWaiterWithNoChangeFiresAtItsDeadline() throws Exception {
        KeyedWaiters waiters = new KeyedWaiters(vertx, 10);
        CountDownLatch timedOut = new CountDownLatch(1);
        park(waiters, "req-a", Duration.ofMillis(50), timedOut::countDown);
        assertEquals(true, timedOut.await(10, TimeUnit.SECONDS));
        assertEquals(0, waiters.parked());
    }

    @Test
    void pastItsCapacityParkingIsRefused_soTheHandlerAnswersAtOnce() throws Exception {
        KeyedWaiters waiters = new KeyedWaiters(vertx, 1);
        assertNotNull(park(waiters, "req-a", Duration.ofSeconds(60), () -> { }));
        assertNull(park(waiters, "req-b", Duration.ofSeconds(60), () -> { }));
        assertEquals(1, waiters.parked());
    }

    @Test
    void waitIsWholeSecondsFromOneToSixty() {
        assertEquals(Duration.ofSeconds(30), KeyedWaiters.parseWait(null, Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(1), KeyedWaiters.parseWait("1", Duration.ZERO));
        assertEquals(Duration.ofSeconds(60), KeyedWaiters.parseWait("60", Duration.ZERO));
        for (String bad : new String[] {"0", "61", "99", "-1", "1.5", "", "ten", "007"}) {
            assertThrows(IllegalArgumentException.class, () -> KeyedWaiters.parseWait(bad, Duration.ZERO), bad);
        }
    }
}
