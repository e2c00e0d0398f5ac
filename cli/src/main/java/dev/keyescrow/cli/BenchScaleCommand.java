package dev.keyescrow.cli;

import dev.keyescrow.cli.bench.ScaleBenchmark;
import dev.keyescrow.cli.cluster.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code escrow bench scale}: many keys on one local cluster of real processes, with creation
 * rate, paging, heap per key, release latency and restart times measured at given sizes.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Start a local 5-node cluster and create N 3-of-5 AES-256 keys, each countersigned by its 5"
            + " holders, with C concurrent creators.", "At each checkpoint size: page through GET /v1/keys, read each"
            + " member's heap after a full GC (jcmd), time 20 USE requests (POST to ACTIVE), and restart the"
            + " coordinator and node-1 (clean stop, start until ready). Prints one table and writes it to"
            + " DIR/scale-report.md. Every process it starts is stopped at the end."})
final class BenchScaleCommand implements Callable<Integer> {
    private static final int MAX_KEYS = 1_000_000;

    private final Terminal terminal;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "1000",
            description = "keys to create (default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--creators", paramLabel = "C", defaultValue = "2",
            description = "key ceremonies run at once (default: ${DEFAULT-VALUE})")
    int creators;

    @Option(names = "--checkpoints", paramLabel = "K", split = ",",
            description = "sizes at which to measure, ascending, e.g. 200,1000 (default: N only; N is always the last)")
    List<Integer> checkpoints;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write scale-report.md (default: the state"
            + " directory)")
    Path out;

    @Mixin
    BenchClusterOptions bench;

    BenchScaleCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (keys < 1 || keys > MAX_KEYS || creators < 1 || creators > 64) {
            throw new BadInputException("--keys must be from 1 to " + MAX_KEYS + " and --creators from 1 to 64");
        }
        List<Integer> sizes = sizes(checkpoints, keys);
        LocalCluster cluster = bench.cluster();
        Path reportDir = out != null ? out : cluster.layout().dir();
        return ThrowawayCluster.run(cluster, "bench scale", terminal.err(), c -> {
            ScaleBenchmark.run(c, terminal.out(), bench.softwareVault, sizes, creators, reportDir);
            return ExitCodes.OK;
        });
    }

    /** The checkpoint sizes, ascending and each from 1 to {@code keys}, with {@code keys} last. */
    static List<Integer> sizes(List<Integer> checkpoints, int keys) throws BadInputException {
        List<Integer> sizes = new ArrayList<>();
        int previous = 0;
        for (int k : checkpoints == null ? List.<Integer>of() : checkpoints) {
            if (k <= previous || k > keys) {
                throw new BadInputException("--checkpoints must be ascending sizes from 1 to --keys (" + keys + ")");
            }
            sizes.add(k);
            previous = k;
        }
        if (previous != keys) {
            sizes.add(keys);
        }
        return sizes;
    }
}
