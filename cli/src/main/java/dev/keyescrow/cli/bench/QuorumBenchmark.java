package dev.keyescrow.cli.bench;

import dev.keyescrow.cli.cluster.LocalCluster;
import java.io.PrintStream;
import java.security.SecureRandom;

/** Runs the quorum load and the crypto floor in one process and prints both, with their ratio. */
public final class QuorumBenchmark {
    private static final int FLOOR_WARMUP = 2_000;
    private static final int FLOOR_ITERATIONS = 2_000;

    private QuorumBenchmark() {
    }

    public static void run(LocalCluster cluster, PrintStream out, boolean softwareVault, int warmup, int requests,
            int concurrency, int pauseMillis) throws Exception {
        out.println("crypto floor: measuring " + FLOOR_ITERATIONS + " in-process reconstructions ...");
        double floorMillis;
        try (CryptoFloor floor = new CryptoFloor(SecureRandom.getInstance("DRBG"))) {
            floorMillis = floor.measure(FLOOR_WARMUP, FLOOR_ITERATIONS) / 1e6;
        }
        out.printf("crypto floor: %.3f ms CPU per reconstruction%n", floorMillis);
        out.println("starting a local cluster (5 nodes and the coordinator) in " + cluster.layout().dir() + " ...");
        QuorumLoad load = new QuorumLoad(cluster);
        try {
            String backend = load.prepare(softwareVault);
            out.println("tokens: " + backend + "; key 3-of-5 AES-256 countersigned by 5 custodians");
            if (warmup > 0) {
                out.println("warm-up: " + warmup + " reconstructions at concurrency " + concurrency + " ...");
                load.run(warmup, concurrency, 0);
            }
            out.println("measuring: " + requests + " reconstructions at concurrency " + concurrency
                    + (pauseMillis > 0 ? ", each worker resting " + pauseMillis + " ms between requests" : "") + " ...");
            QuorumLoad.Phase phase = load.run(requests, concurrency, pauseMillis);
            double cpu = phase.memberCpuMillisPerReconstruction();
            out.printf("throughput        %.1f reconstructions/s%n", phase.throughput());
            out.printf("latency           p50 %.1f ms, p99 %.1f ms (POST to ACTIVE)%n", phase.percentileMillis(50),
                    phase.percentileMillis(99));
            out.printf("cluster CPU       %.2f ms per reconstruction (6 member processes)%n", cpu);
            double jit = phase.memberJitMillisPerReconstruction();
            if (!Double.isNaN(jit)) {
                out.printf("  of which JIT    %.2f ms (compiler threads; %.2f ms without them, ratio %.1f)%n", jit,
                        cpu - jit, (cpu - jit) / floorMillis);
            }
            out.printf("load CPU          %.2f ms per reconstruction (this process: operator, custodians, polling)%n",
                    phase.loadCpuMillisPerReconstruction());
            out.printf("crypto floor      %.3f ms per reconstruction%n", floorMillis);
            out.printf("ratio             %.1f (cluster CPU / floor; target <= 3)%n", cpu / floorMillis);
            out.printf("cores             %d%n", Runtime.getRuntime().availableProcessors());
            load.hops(phase).print(out);
        } finally {
            load.close();
        }
    }
}
