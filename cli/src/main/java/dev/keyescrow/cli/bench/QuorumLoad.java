package dev.keyescrow.cli.bench;

import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The quorum load generator: a local cluster of 5 nodes and the coordinator (real processes,
 * real tokens), 5 automated custodians, one 3-of-5 AES-256 key, and {@code concurrency}
 * workers each looping over: ask for a USE, have 3 custodians approve at their nodes (at the
 * same time, as three people would), wait until the coordinator has rebuilt the key (ACTIVE),
 * spend the session's one operation. Every wait is a long poll (the node answers when the
 * request arrives, the coordinator when the state changes), so the load is the work itself,
 * not polling. Latency is measured from the request's POST to the first view of ACTIVE.
 *
 * <p>With {@link Operation#SIGN} the key is a 3-of-5 FROST Ed25519 key and each request is a
 * SIGN of one 32-byte message: latency runs from the POST to the first view of EXECUTED, and
 * the signature the request carries must verify under the group public key with the JDK's
 * Ed25519, or the run fails.
 */
final class QuorumLoad {
    /** What each measured request does. */
    enum Operation {
        /** A USE of an AES-256 key: the coordinator rebuilds the key (ACTIVE), then one encrypt. */
        USE("ACTIVE"),
        /** A SIGN of one 32-byte message with a FROST key: two rounds at the nodes, then EXECUTED. */
        SIGN("EXECUTED");

        final String doneState;

        Operation(String doneState) {
            this.doneState = doneState;
        }
    }

    private static final int MESSAGE_BYTES = 32;

    private final LocalCluster cluster;
    private final Operation operation;
    private final SecureRandom random;
    private final List<Long> memberPids = new ArrayList<>();
    private BenchCluster bench;
    private CoordinatorClient coordinator;
    /** The custodians' own threads: each answers at its node as soon as the request reaches it. */
    private ExecutorService custodianDesks;
    private String keyId;
    /** SIGN: the group public key every signature is checked against. */
    private dev.keyescrow.cli.frost.SigningKey signingKey;

    QuorumLoad(LocalCluster cluster, Operation operation) throws Exception {
        this.cluster = cluster;
        this.operation = operation;
        this.random = SecureRandom.getInstance("DRBG");
    }

    /** Starts the cluster, registers the custodians and makes the countersigned key. */
    String prepare(boolean softwareVault) throws Exception {
        bench = BenchCluster.start(cluster, softwareVault, random);
        coordinator = bench.coordinator();
        memberPids.addAll(bench.memberPids());
        if (operation == Operation.SIGN) {
            signingKey = dev.keyescrow.cli.frost.SigningKeys.create(coordinator, "bench-sign", BenchCluster.THRESHOLD,
                    bench.custodianIds());
            keyId = signingKey.keyId();
            bench.countersignAll(keyId, signingKey.version());
        } else {
            keyId = bench.createCountersignedKey("bench-quorum");
        }
        return bench.backend();
    }

    /** Runs {@code total} reconstructions over {@code concurrency} workers, each resting {@code pauseMillis} between them. */
    Phase run(int total, int concurrency, int pauseMillis) throws Exception {
        long[] latencies = new long[total];
        HopBreakdown.ClientTimes[] times = new HopBreakdown.ClientTimes[total];
        AtomicInteger next = new AtomicInteger();
        long cpuBefore = memberCpuNanos();
        java.util.OptionalLong jitBefore = JitCpu.nanos(memberPids);
        long ownCpuBefore = ownCpuNanos();
        long start = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        custodianDesks = Executors.newFixedThreadPool(BenchCluster.THRESHOLD * concurrency);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        times[i] = reconstructOnce(i);
                        latencies[i] = times[i].latencyNanos();
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis);
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : running) {
                f.get();
            }
        } finally {
            workers.shutdownNow();
            custodianDesks.shutdownNow();
        }
        long wall = System.nanoTime() - start;
        java.util.OptionalLong jitAfter = JitCpu.nanos(memberPids);
        long jit = jitBefore.isPresent() && jitAfter.isPresent() ? jitAfter.getAsLong() - jitBefore.getAsLong() : -1;
        return new Phase(total, wall, memberCpuNanos() - cpuBefore, jit, ownCpuNanos() - ownCpuBefore, latencies,
                List.of(times));
    }

    /** The hops of {@code phase}'s reconstructions, read from the members' journals. */
    HopBreakdown.Result hops(Phase phase) throws java.io.IOException {
        List<String> nodes = new ArrayList<>();
        for (int i = 1; i <= BenchCluster.NODES; i++) {
            nodes.add(dev.keyescrow.cli.cluster.ClusterLayout.nodeId(i));
        }
        return operation == Operation.SIGN
                ? HopBreakdown.ofSign(cluster.layout(), nodes, phase.clientTimes(), BenchCluster.THRESHOLD)
                : HopBreakdown.of(cluster.layout(), nodes, phase.clientTimes(), BenchCluster.THRESHOLD);
    }

    void close() {
        if (bench != null) {
            bench.close();
        }
    }

    private HopBreakdown.ClientTimes reconstructOnce(int round) throws Exception {
        long posted = System.currentTimeMillis();
        long start = System.nanoTime();
        byte[] signed = new byte[MESSAGE_BYTES];
        random.nextBytes(signed);
        JsonObject use = operation == Operation.SIGN
                ? coordinator.createRequest(keyId, "SIGN", "bench: quorum signing load", 600, new JsonObject()
                        .put("messages", new JsonArray().add(Base64.getEncoder().encodeToString(signed))))
                : coordinator.createRequest(keyId, "USE", "bench: quorum load", 600,
                        new JsonObject().put("maxOperations", 1).put("sessionSeconds", 60));
        String requestId = use.getString("requestId");
        // three custodians at three nodes: independent people, so they review and answer at the same time
        bench.approve(requestId, round, custodianDesks);
        JsonObject view = bench.await(use, operation.doneState, start);
        long latency = System.nanoTime() - start;
        long activeSeen = System.currentTimeMillis();
        if (operation == Operation.SIGN) {
            checkSignature(view, signed);
            return new HopBreakdown.ClientTimes(requestId, posted, activeSeen, latency);
        }
        byte[] message = new byte[64];
        random.nextBytes(message);
        coordinator.encrypt(requestId, Base64.getEncoder().encodeToString(message), null);
        return new HopBreakdown.ClientTimes(requestId, posted, activeSeen, latency);
    }

    /** The request's one signature must verify under the group public key with a standard verifier. */
    private void checkSignature(JsonObject view, byte[] message) {
        JsonArray signatures = view.getJsonArray("signatures");
        if (signatures == null || signatures.size() != 1) {
            throw new IllegalStateException("request " + view.getString("requestId") + " is EXECUTED without its one"
                    + " signature");
        }
        byte[] signature = Base64.getDecoder().decode(signatures.getString(0));
        if (!dev.keyescrow.cli.frost.JdkEd25519.verifies(signingKey.publicKey(), message, signature)) {
            throw new IllegalStateException("the signature of request " + view.getString("requestId")
                    + " does not verify under the group public key");
        }
    }

    private long memberCpuNanos() {
        long sum = 0;
        for (long pid : memberPids) {
            sum += ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos)
                    .orElseThrow(() -> new IllegalStateException("member process " + pid + " is gone"));
        }
        return sum;
    }

    private static long ownCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** What one phase measured; latencies in nanoseconds; {@code memberJitNanos} is -1 where unknown. */
    record Phase(int reconstructions, long wallNanos, long memberCpuNanos, long memberJitNanos, long loadCpuNanos,
                 long[] latencies, List<HopBreakdown.ClientTimes> clientTimes) {
        double throughput() {
            return reconstructions * 1e9 / wallNanos;
        }

        double percentileMillis(double p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
        }

        double memberCpuMillisPerReconstruction() {
            return memberCpuNanos / 1e6 / reconstructions;
        }

        /** The members' JIT compiler threads' share of {@link #memberCpuMillisPerReconstruction}, or NaN. */
        double memberJitMillisPerReconstruction() {
            return memberJitNanos < 0 ? Double.NaN : memberJitNanos / 1e6 / reconstructions;
        }

        double loadCpuMillisPerReconstruction() {
            return loadCpuNanos / 1e6 / reconstructions;
        }
    }
}
