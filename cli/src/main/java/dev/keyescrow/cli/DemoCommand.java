package dev.keyescrow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow demo}: the whole key ceremony on a local cluster. The cluster it needs (the
 * node, the coordinator and {@code escrow cluster}) does not exist yet, so for now it says so
 * and exits 1 rather than pretending.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs a whole key ceremony on a local 5-node cluster (3-of-5) with a readable transcript.")
final class DemoCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--dir", paramLabel = "DIR", description = "state directory (default: a fresh one here)")
    Path dir;

    DemoCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        terminal.err().println("escrow demo: not available yet. The demo needs the custodian node, the coordinator"
                + " and the development cluster, which are not built yet. What works today: 'escrow shamir split'"
                + " and 'escrow shamir combine' (see README.md).");
        return ExitCodes.FAILURE;
    }
}
