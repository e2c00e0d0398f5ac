package dev.keyescrow.cli.bench;

import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * {@code escrow bench scale}: creates keys on a local 5-node cluster and, at each requested
 * size, measures paging, heap per member, release latency and restart times; prints the table
 * and writes it to {@code scale-report.md} in the output directory.
 */
public final class ScaleBenchmark {
    /** USE requests timed at each size, and those run first and not counted. */
    static final int RELEASES = 20;
    private static final int RELEASE_WARMUP = 3;
    /** The page size asked of {@code GET /v1/keys} (the server's largest). */
    static final int PAGE_LIMIT = 1000;
    static final String REPORT_FILE = "scale-report.md";

    private ScaleBenchmark() {
    }

    /**
     * Runs the whole measurement; {@code sizes} are ascending, the last is the number of keys.
     * Returns the report.
     */
    public static String run(LocalCluster cluster, PrintStream out, boolean softwareVault, List<Integer> sizes,
            int creators, Path outDir) throws Exception {
        SecureRandom random = SecureRandom.getInstance("DRBG");
        out.println("starting a local cluster (5 nodes and the coordinator) in " + cluster.layout().dir() + " ...");
        try (BenchCluster bench = BenchCluster.start(cluster, softwareVault, random)) {
            out.println("tokens: " + bench.backend() + "; keys 3-of-5 AES-256, each countersigned by its 5 holders;"
                    + " " + creators + " concurrent creators");
            ScaleLoad load = new ScaleLoad(bench, random);
            Map<String, Long> baseline = load.heaps();
            ScaleReport report = new ScaleReport(bench.memberIds(), baseline, RELEASES);
            String node = ClusterLayout.nodeId(1);
            for (int size : sizes) {
                out.printf("creating keys up to %,d ...%n", size);
                ScaleLoad.Creation creation = load.createUpTo(size, creators, out);
                out.printf("  %,d keys in %.1f s: %.1f keys/s%n", creation.keys(), creation.nanos() / 1e9,
                        creation.keysPerSecond());
                ScaleLoad.Paging paging = load.pageThrough(PAGE_LIMIT);
                out.printf("  GET /v1/keys: %,d keys in %d pages, %.0f ms%n", paging.keys(), paging.pages(),
                        paging.totalNanos() / 1e6);
                Map<String, Long> heaps = load.heaps();
                long[] release = load.release(RELEASE_WARMUP, RELEASES);
                out.printf("  release p50 %.0f ms, p99 %.0f ms%n", ScaleLoad.percentile(release, 50) / 1e6,
                        ScaleLoad.percentile(release, 99) / 1e6);
                ScaleLoad.Restart coordinator = load.restart(ClusterLayout.COORDINATOR);
                ScaleLoad.Restart restartedNode = load.restart(node);
                out.printf("  restart: coordinator %.1f s, %s %.1f s (start to ready)%n",
                        coordinator.startNanos() / 1e9, node, restartedNode.startNanos() / 1e9);
                report.add(new ScaleReport.Point(load.keys(), creation, paging, heaps,
                        ScaleLoad.percentile(release, 50), ScaleLoad.percentile(release, 99), coordinator,
                        restartedNode));
            }
            String text = header(sizes, creators) + report.table() + "\none key's manifest as served (JSON): "
                    + load.manifestBytes() + " bytes\n";
            out.println();
            out.print(text);
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve(REPORT_FILE), text, StandardCharsets.UTF_8);
            out.println("report written to " + outDir.resolve(REPORT_FILE));
            return text;
        }
    }

    private static String header(List<Integer> sizes, int creators) {
        String loadText = "unknown";
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            loadText = f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            // not Linux: the load average stays unknown
        }
        return "escrow bench scale --keys " + sizes.get(sizes.size() - 1) + " --creators " + creators
                + " --checkpoints " + String.join(",", sizes.stream().map(String::valueOf).toList()) + "\n"
                + "finished " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "; load average " + loadText
                + "; cores " + Runtime.getRuntime().availableProcessors() + "\n\n";
    }
}
