package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow demo}: the whole key ceremony on a local 5-node cluster (3-of-5), with a
 * readable transcript. Every process it starts is stopped at the end, on failure, and on
 * Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a whole key ceremony on a local 5-node cluster (3-of-5) with a readable transcript.")
final class DemoCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--dir", paramLabel = "DIR", description = "state directory (default: a fresh escrow-demo-* here)")
    Path dir;

    @Option(names = "--quiet", description = "print only the ceremony log")
    boolean quiet;

    @Option(names = "--json", description = "print one JSON document (steps, timings, ceremony log)")
    boolean json;

    @Option(names = "--software-vault", description = "use the development vault even where SoftHSM2 is installed")
    boolean softwareVault;

    DemoCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        LocalCluster cluster = new LocalCluster(ThrowawayCluster.directory(dir, "escrow-demo"), quiet || json
                ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : terminal.out());
        return ThrowawayCluster.run(cluster, "demo", terminal.err(), c -> {
            new Demo(c, Demo.mode(quiet, json), terminal.out(), softwareVault).run();
            return ExitCodes.OK;
        });
    }
}
