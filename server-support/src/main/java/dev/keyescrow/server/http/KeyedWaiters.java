package dev.keyescrow.server.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long polls: an HTTP handler parks a wake-up under a key (a request id), and the service
 * wakes the key's waiters when that request changes, so a client waiting for a state change
 * makes one call instead of a stream of polls. Each waiter fires exactly once, on its
 * handler's Vert.x context: at the first change of its key or at its deadline, whichever
 * comes first. Handlers park before they read the state, so a change between the read and
 * the park is never missed. The number of parked waiters is bounded; past the bound a
 * handler simply answers at once.
 */
public final class KeyedWaiters {
    private final Vertx vertx;
    private final int capacity;
    private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();

    public KeyedWaiters(Vertx vertx, int capacity) {
        this.vertx = vertx;
        this.capacity = capacity;
    }

    /**
     * Parks {@code wake} under {@code key} for at most {@code max}; call from a Vert.x context.
     *
     * @return the waiter, or {@code null} when the bound is reached (answer at once instead)
     */
    public Waiter park(String key, Duration max, Runnable wake) {
        if (parked.incrementAndGet() > capacity) {
            parked.decrementAndGet();
            return null;
        }
        Waiter waiter = new Waiter(key, vertx.getOrCreateContext(), wake);
        // add inside compute: a waiter retiring at the same moment cannot drop the set from under it
        waiting.compute(key, (k, set) -> {
            Set<Waiter> waiters = set != null ? set : ConcurrentHashMap.newKeySet();
            waiters.add(waiter);
            return waiters;
        });
        waiter.timer = vertx.setTimer(Math.max(1, max.toMillis()), id -> waiter.fire());
        return waiter;
    }

    /**
     * The long-poll handler both servers use: parks {@code answer} under {@code key}, then runs
     * {@code changed} on a worker; answers at once if that says the change already happened
     * (or fails, so the answer can name the problem), if parking is refused, or else at the
     * first change of the key or after {@code max}. Parking comes first, so a change between
     * the check and the park is never missed. {@code answer} runs at most once, and not at all
     * once the response has ended or the client went away.
     */
    public void answerWhenChanged(RoutingContext ctx, String key, Duration max, Callable<Boolean> changed,
            Runnable answer) {
        Runnable once = () -> {
            if (!ctx.response().ended() && !ctx.response().closed()) {
                answer.run();
            }
        };
        Waiter waiter = park(key, max, once);
        if (waiter == null) {
            once.run();
            return;
        }
        vertx.executeBlocking(changed, false).onComplete(result -> {
            if (result.failed() || result.result()) {
                waiter.fire();
            }
        });
    }

    /** Wakes every waiter of {@code key}; any thread, cheap (the wake-ups run on their own contexts). */
    public void changed(String key) {
        Set<Waiter> waiters = waiting.get(key);
        if (waiters != null) {
            waiters.forEach(Waiter::fire);
        }
    }

    /** The longest wait a client may ask for. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    /**
     * The {@code wait} query parameter: whole seconds, 1 to 60; absent means {@code absent}.
     *
     * @throws IllegalArgumentException with a message for the client's problem document
     */
    public static Duration parseWait(String raw, Duration absent) {
        if (raw == null) {
            return absent;
        }
        try {
            return Duration.ofSeconds(StrictJson.integerText(raw, 1, MAX_WAIT.toSeconds(),
                    "wait must be a whole number of seconds from 1 to " + MAX_WAIT.toSeconds()));
        } catch (StrictJson.BadJsonException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** Waiters parked now. */
    public int parked() {
        return parked.get();
    }

    /** One parked wake-up. */
    public final class Waiter {
        private final String key;
        private final Context context;
        private final Runnable wake;
        private final AtomicBoolean fired = new AtomicBoolean();
        private volatile long timer = -1;

        private Waiter(String key, Context context, Runnable wake) {
            this.key = key;
            this.context = context;
            this.wake = wake;
        }

        /** Runs the wake-up now (on its context) unless it already ran; later calls do nothing. */
        public void fire() {
            if (retire()) {
                context.runOnContext(v -> wake.run());
            }
        }

        /** Forgets the wake-up without running it (the handler answered another way). */
        public void cancel() {
            retire();
        }

        private boolean retire() {
            if (!fired.compareAndSet(false, true)) {
                return false;
            }
            waiting.computeIfPresent(key, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
            parked.decrementAndGet();
            long t = timer;
            if (t >= 0) {
                vertx.cancelTimer(t);
            }
            return true;
        }
    }
}
