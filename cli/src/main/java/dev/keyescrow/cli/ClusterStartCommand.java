package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code escrow cluster start --dir DIR [--nodes N] [--software-vault]}. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start N custodian nodes and a coordinator in the background, in development mode on free"
                + " loopback ports, enrolled with each other; state, logs and cluster.json under DIR."})
final class ClusterStartCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the cluster's directory")
    Path dir;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "5", description = "number of nodes (2..32, default 5)")
    int nodes;

    @Option(names = "--software-vault", description = "use the development vault even where SoftHSM2 is installed")
    boolean softwareVault;

    ClusterStartCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || nodes > 32) {
            throw new BadInputException("--nodes " + nodes + " is invalid: must be in [2, 32]");
        }
        LocalCluster cluster = new LocalCluster(dir, terminal.out());
        List<MemberProcess> running = cluster.running();
        if (!running.isEmpty()) {
            throw new BadInputException("a cluster is already running in " + cluster.layout().dir() + " ("
                    + running.size() + " processes); stop it first with: escrow cluster stop --dir " + dir);
        }
        LocalCluster.Started started;
        try {
            started = cluster.start(nodes, softwareVault);
        } catch (Exception e) {
            terminal.err().println("escrow cluster start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        terminal.out().println("cluster running in " + cluster.layout().dir());
        terminal.out().println("  coordinator  " + started.coordinatorUrl());
        for (MemberProcess m : started.members()) {
            if (!m.id().equals("coordinator")) {
                terminal.out().println("  " + m.id() + "  " + m.url());
            }
        }
        terminal.out().println("  operator token in " + cluster.layout().operatorToken() + " (mode 0600)");
        terminal.out().println("  described in " + cluster.layout().clusterJson());
        terminal.out().println("stop it with: escrow cluster stop --dir " + dir);
        return ExitCodes.OK;
    }
}
