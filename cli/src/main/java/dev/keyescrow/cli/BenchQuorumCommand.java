package dev.keyescrow.cli;

import dev.keyescrow.cli.bench.QuorumBenchmark;
import dev.keyescrow.cli.cluster.LocalCluster;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code escrow bench quorum}: concurrent USE (or, with {@code --operation SIGN}, FROST SIGN)
 * requests at 3-of-5 against a local cluster of real processes, with throughput, latency and
 * the crypto floor measured in the same run.
 */
@Command(name = "quorum", mixinStandardHelpOptions = true,
        description = {"Start a local 5-node cluster, make a 3-of-5 key, and run N concurrent USE requests approved"
            + " by automated custodians (with --operation SIGN: a FROST Ed25519 key and SIGN requests of one"
            + " 32-byte message, each signature verified with the JDK's Ed25519).", "Reports throughput, p50/p99"
            + " latency, CPU per reconstruction (or signature) and its ratio to the crypto floor measured in the same"
            + " run. Every process it starts is stopped at the end."})
final class BenchQuorumCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "300",
            description = "measured reconstructions (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4",
            description = "requests in flight at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "60",
            description = "reconstructions run first and not counted (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--pause", paramLabel = "MILLIS", defaultValue = "0",
            description = "each worker rests this long between its requests, so latency is measured on a cluster"
                    + " that is not saturated (default: ${DEFAULT-VALUE})")
    int pauseMillis;

    @Option(names = "--operation", paramLabel = "OP", defaultValue = "USE",
            description = "USE (an AES-256 key rebuilt per request) or SIGN (a FROST key, never rebuilt)"
                    + " (default: ${DEFAULT-VALUE})")
    String operation;

    @Mixin
    BenchClusterOptions bench;

    BenchQuorumCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || concurrency < 1 || warmup < 0 || concurrency > 64 || pauseMillis < 0
                || pauseMillis > 60_000) {
            throw new BadInputException("--requests and --concurrency must be at least 1 (concurrency at most 64),"
                    + " --warmup at least 0, --pause from 0 to 60000");
        }
        QuorumBenchmark.Operation op;
        try {
            op = QuorumBenchmark.Operation.valueOf(operation);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--operation must be USE or SIGN");
        }
        LocalCluster cluster = bench.cluster();
        return ThrowawayCluster.run(cluster, "bench quorum", terminal.err(), c -> {
            QuorumBenchmark.run(c, terminal.out(), bench.softwareVault, op, warmup, requests, concurrency,
                    pauseMillis);
            return ExitCodes.OK;
        });
    }
}
