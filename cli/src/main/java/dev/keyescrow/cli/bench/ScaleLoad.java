package dev.keyescrow.cli.bench;

import dev.keyescrow.cli.client.KeyPage;
import dev.keyescrow.cli.cluster.LocalCluster;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scale load: many 3-of-5 AES-256 keys on one cluster, each made by a real ceremony (the
 * coordinator splits it, the 5 holders countersign its manifest), and the measurements taken at
 * a given number of keys: paging through {@code GET /v1/keys}, each member's heap after a full
 * GC, release latency, and the time a member takes to come back after a clean stop.
 */
final class ScaleLoad {
    /** How often creation reports its rate. */
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final BenchCluster bench;
    private final SecureRandom random;
    /** Every key created so far, by id. */
    private final Set<String> keyIds = ConcurrentHashMap.newKeySet();

    ScaleLoad(BenchCluster bench, SecureRandom random) {
        this.bench = bench;
        this.random = random;
    }

    int keys() {
        return keyIds.size();
    }

    /** Creation from one size to the next: how many keys, in how long. */
    record Creation(int keys, long nanos) {
        double keysPerSecond() {
            return nanos == 0 ? 0 : keys * 1e9 / nanos;
        }
    }

    /**
     * Creates keys with {@code creators} concurrent ceremonies until {@code target} exist, printing
     * the rate every 10 s; stops at the first failure and reports it.
     */
    Creation createUpTo(int target, int creators, PrintStream progress) throws Exception {
        int from = keyIds.size();
        AtomicInteger next = new AtomicInteger(from);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(creators);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < creators; c++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < target && failure.get() == null; i = next.getAndIncrement()) {
                        String name = String.format("scale-%07d", i);
                        try {
                            keyIds.add(bench.createCountersignedKey(name));
                        } catch (Exception e) {
                            failure.compareAndSet(null, new IllegalStateException("creating key " + name + " (a 3-of-5"
                                    + " AES-256 ceremony) failed: " + e.getMessage(), e));
                        }
                    }
                }));
            }
            long lastTime = start;
            int lastCount = from;
            for (Future<?> f : running) {
                while (true) {
                    try {
                        f.get(1, TimeUnit.SECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException e) {
                        long now = System.nanoTime();
                        if (now - lastTime >= INTERVAL_NANOS) {
                            int count = keyIds.size();
                            progress.printf("  %,d keys; %.1f keys/s over the last %.0f s%n", count,
                                    (count - lastCount) * 1e9 / (now - lastTime), (now - lastTime) / 1e9);
                            lastTime = now;
                            lastCount = count;
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Creation(keyIds.size() - from, System.nanoTime() - start);
    }

    /** A walk through every page of {@code GET /v1/keys}. */
    record Paging(int pages, int keys, long totalNanos, long pageNanos, long slowestPageNanos) {
        /** The mean time of one page's request and answer (the total also counts checking the ids). */
        double meanPageMillis() {
            return pageNanos / 1e6 / pages;
        }
    }

    /**
     * Follows {@code GET /v1/keys?limit=} page by page to the last; fails unless every key created
     * is listed exactly once.
     */
    Paging pageThrough(int limit) throws Exception {
        Set<String> seen = new HashSet<>();
        int pages = 0;
        long slowest = 0;
        long pageNanos = 0;
        long start = System.nanoTime();
        String path = "/v1/keys?limit=" + limit;
        while (path != null) {
            long pageStart = System.nanoTime();
            KeyPage page = bench.coordinator().keysPage(path);
            long took = System.nanoTime() - pageStart;
            pageNanos += took;
            slowest = Math.max(slowest, took);
            pages++;
            for (int i = 0; i < page.items().size(); i++) {
                String id = page.items().getJsonObject(i).getString("keyId");
                if (!seen.add(id)) {
                    throw new IllegalStateException("GET /v1/keys listed key " + id + " twice");
                }
            }
            path = page.next().orElse(null);
        }
        long total = System.nanoTime() - start;
        if (!seen.containsAll(keyIds)) {
            Set<String> missing = new HashSet<>(keyIds);
            missing.removeAll(seen);
            throw new IllegalStateException("GET /v1/keys did not list " + missing.size() + " of the " + keyIds.size()
                    + " keys created, e.g. " + missing.iterator().next());
        }
        return new Paging(pages, seen.size(), total, pageNanos, slowest);
    }

    /** Each member's heap used after a full GC, in bytes, by member id (the coordinator first). */
    Map<String, Long> heaps() throws Exception {
        Map<String, Long> heaps = new LinkedHashMap<>();
        List<String> ids = bench.memberIds();
        List<Long> pids = bench.memberPids();
        for (int i = 0; i < ids.size(); i++) {
            heaps.put(ids.get(i), MemberHeap.usedAfterFullGc(pids.get(i)));
        }
        return heaps;
    }

    /**
     * {@code requests} USE requests of one key, one after the other, each approved by 3 custodians
     * at their nodes and spent; answers each one's latency from its POST to the first view of
     * ACTIVE, in nanoseconds, sorted.
     */
    long[] release(int warmup, int requests) throws Exception {
        String keyId = keyIds.iterator().next();
        long[] latencies = new long[requests];
        ExecutorService desks = Executors.newFixedThreadPool(BenchCluster.THRESHOLD);
        try {
            for (int i = 0; i < warmup + requests; i++) {
                long start = System.nanoTime();
                JsonObject use = bench.coordinator().createRequest(keyId, "USE", "bench: scale release", 600,
                        new JsonObject().put("maxOperations", 1).put("sessionSeconds", 60));
                bench.approve(use.getString("requestId"), i, desks);
                bench.await(use, "ACTIVE", start);
                long latency = System.nanoTime() - start;
                if (i >= warmup) {
                    latencies[i - warmup] = latency;
                }
                byte[] message = new byte[64];
                random.nextBytes(message);
                bench.coordinator().encrypt(use.getString("requestId"), Base64.getEncoder().encodeToString(message),
                        null);
            }
        } finally {
            desks.shutdownNow();
        }
        Arrays.sort(latencies);
        return latencies;
    }

    /** A member's clean stop (it writes a checkpoint) and its start until it answers ready. */
    record Restart(long stopNanos, long startNanos) {
    }

    /** Stops member {@code id} with SIGTERM, starts it again and waits until {@code /v1/health/ready} is 200. */
    Restart restart(String id) throws Exception {
        LocalCluster cluster = bench.cluster();
        ProcessHandle process = cluster.process(id).orElseThrow(() -> new IllegalStateException("member " + id
                + " is not running"));
        long start = System.nanoTime();
        process.destroy();
        try {
            process.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("member " + id + " did not stop within 60 s of SIGTERM");
        }
        long stopped = System.nanoTime();
        cluster.restart(id);
        return new Restart(stopped - start, System.nanoTime() - stopped);
    }

    /** The size of one key's manifest as the coordinator serves it (JSON, 5 holders, countersigned), in bytes. */
    int manifestBytes() throws Exception {
        return bench.coordinator().manifest(keyIds.iterator().next(), 1).encode()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The {@code p}th percentile of sorted {@code values}, nearest rank. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
