package dev.keyescrow.cli.bench;

import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.frost.JdkEd25519;
import java.io.PrintStream;
import java.security.SecureRandom;

/** Runs the quorum load and the crypto floor in one process and prints both, with their ratio. */
public final class QuorumBenchmark {
    private static final int FLOOR_WARMUP = 2_000;
    private static final int FLOOR_ITERATIONS = 2_000;

    private QuorumBenchmark() {
    }

    /** The operation the measured requests carry out, as {@code escrow bench quorum --operation} names it. */
    public enum Operation {
        USE, SIGN
    }

    public static void run(LocalCluster cluster, PrintStream out, boolean softwareVault, int warmup, int requests,
            int concurrency, int pauseMillis) throws Exception {
        run(cluster, out, softwareVault, Operation.USE, warmup, requests, concurrency, pauseMillis);
    }

    public static void run(LocalCluster cluster, PrintStream out, boolean softwareVault, Operation operation,
            int warmup, int requests, int concurrency, int pauseMillis) throws Exception {
        boolean sign = operation == Operation.SIGN;
        String unit = sign ? "signature" : "reconstruction";
        double floorMillis = sign ? frostFloorMillis(out) : shamirFloorMillis(out);
        out.println("starting a local cluster (5 nodes and the coordinator) in " + cluster.layout().dir() + " ...");
        QuorumLoad load = new QuorumLoad(cluster, sign ? QuorumLoad.Operation.SIGN : QuorumLoad.Operation.USE);
        try {
            String backend = load.prepare(softwareVault);
            out.println("tokens: " + backend + "; key 3-of-5 " + (sign ? "FROST Ed25519 (imported)" : "AES-256")
                    + " countersigned by 5 custodians");
            if (warmup > 0) {
                out.println("warm-up: " + warmup + " " + unit + "s at concurrency " + concurrency + " ...");
                load.run(warmup, concurrency, 0);
            }
            out.println("measuring: " + requests + " " + unit + "s at concurrency " + concurrency
                    + (sign ? " (one 32-byte message each, every signature verified with the JDK's Ed25519)" : "")
                    + (pauseMillis > 0 ? ", each worker resting " + pauseMillis + " ms between requests" : "") + " ...");
            QuorumLoad.Phase phase = load.run(requests, concurrency, pauseMillis);
            double cpu = phase.memberCpuMillisPerReconstruction();
            out.printf("throughput        %.1f %ss/s%n", phase.throughput(), unit);
            out.printf("latency           p50 %.1f ms, p99 %.1f ms (POST to %s)%n", phase.percentileMillis(50),
                    phase.percentileMillis(99), sign ? "EXECUTED" : "ACTIVE");
            out.printf("cluster CPU       %.2f ms per %s (6 member processes)%n", cpu, unit);
            double jit = phase.memberJitMillisPerReconstruction();
            if (!Double.isNaN(jit)) {
                out.printf("  of which JIT    %.2f ms (compiler threads; %.2f ms without them, ratio %.1f)%n", jit,
                        cpu - jit, (cpu - jit) / floorMillis);
            }
            out.printf("load CPU          %.2f ms per %s (this process: operator, custodians, polling%s)%n",
                    phase.loadCpuMillisPerReconstruction(), unit, sign ? ", verifying" : "");
            out.printf("crypto floor      %.3f ms per %s%n", floorMillis, unit);
            out.printf("ratio             %.1f (cluster CPU / floor; target <= 3)%n", cpu / floorMillis);
            out.printf("cores             %d%n", Runtime.getRuntime().availableProcessors());
            if (sign) {
                out.println("signatures        " + phase.reconstructions() + " verified (JDK Ed25519, group public"
                        + " key)");
            }
            load.hops(phase).print(out);
        } finally {
            load.close();
        }
    }

    private static double shamirFloorMillis(PrintStream out) throws Exception {
        out.println("crypto floor: measuring " + FLOOR_ITERATIONS + " in-process reconstructions ...");
        double floorMillis;
        try (CryptoFloor floor = new CryptoFloor(SecureRandom.getInstance("DRBG"))) {
            floorMillis = floor.measure(FLOOR_WARMUP, FLOOR_ITERATIONS) / 1e6;
        }
        out.printf("crypto floor: %.3f ms CPU per reconstruction%n", floorMillis);
        return floorMillis;
    }

    private static double frostFloorMillis(PrintStream out) throws Exception {
        out.println("crypto floor: measuring " + FLOOR_ITERATIONS + " in-process FROST signatures (3 nodes' two"
                + " rounds, the coordinator's checks and aggregate) ...");
        double floorMillis;
        try (FrostCryptoFloor floor = new FrostCryptoFloor(SecureRandom.getInstance("DRBG"))) {
            floorMillis = floor.measure(FLOOR_WARMUP, FLOOR_ITERATIONS) / 1e6;
            // the floor signs for real: its last signature must pass a verifier that knows nothing of FROST
            if (!JdkEd25519.verifies(floor.publicKey(), floor.message(), floor.signOnce(FLOOR_ITERATIONS))) {
                throw new IllegalStateException("the floor's signature does not verify with the JDK's Ed25519");
            }
        }
        out.printf("crypto floor: %.3f ms CPU per signature%n", floorMillis);
        return floorMillis;
    }
}
