package dev.keyescrow.cli;

import dev.keyescrow.cli.chaos.ChaosReport;
import dev.keyescrow.cli.chaos.ChaosRun;
import dev.keyescrow.cli.chaos.ChaosSettings;
import dev.keyescrow.cli.chaos.NetworkNamespaces;
import dev.keyescrow.cli.chaos.PartitionReport;
import dev.keyescrow.cli.chaos.PartitionRun;
import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow chaos}: a local cluster under seeded concurrent operations and seeded faults,
 * then the invariants checked on the journals. Exit 0 with no violation, 1 otherwise.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Start a local 5-node cluster and, for M minutes, drive concurrent operations (USE, EXPORT,"
            + " ROTATE, REFRESH, RESHARE, DESTROY, cancels, DENY) while injecting faults drawn from the seed: kill -9 of"
            + " nodes and the coordinator (one or two at once), SIGSTOP pauses, a corrupted token, with --full-disk"
            + " a full disk, and with --skew a node whose clock runs 10 minutes ahead or behind.",
            "Then check the invariants on every journal and print one table. The same seed gives the same fault"
            + " schedule (written to chaos-schedule.txt). Exit 0 when no invariant is violated, 1 otherwise.",
            "With --partitions (root, ip and socat), instead: each member in its own network namespace, a split, an"
            + " isolation and their heals, what each side may complete asserted, the same invariants checked."})
final class ChaosCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--minutes", paramLabel = "M",
            description = "how long operations and faults run (fractions allowed; required without --partitions)")
    Double minutes;

    @Option(names = "--seed", paramLabel = "N",
            description = "the seed of the faults and operations (required without --partitions)")
    Long seed;

    @Option(names = "--partitions", description = "run the network-partition scenario instead (each member in its own"
            + " network namespace; needs root, ip and socat)")
    boolean partitions;

    @Option(names = "--fault-gap", paramLabel = "S", defaultValue = "8",
            description = "mean seconds between faults (default: ${DEFAULT-VALUE})")
    int faultGap;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "3",
            description = "operations in flight at once, each on its own key (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--dir", paramLabel = "D", description = "state directory (default: a fresh escrow-chaos-* here)")
    Path dir;

    @Option(names = "--full-disk", description = "also fill one node's disk now and then (its state directory on a"
            + " small tmpfs; needs root)")
    boolean fullDisk;

    @Option(names = "--skew", description = "also restart a node now and then with its clock 10 minutes ahead or"
            + " behind for seconds (a development-mode clock offset)")
    boolean skew;

    @Option(names = "--software-vault", description = "use the development vault even where SoftHSM2 is installed")
    boolean softwareVault;

    ChaosCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (partitions) {
            return partitionRun();
        }
        if (minutes == null || seed == null) {
            throw new BadInputException("--minutes and --seed are required (or --partitions)");
        }
        ChaosSettings settings;
        try {
            settings = new ChaosSettings(minutes, seed, faultGap, workers, fullDisk, skew);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (fullDisk && !dev.keyescrow.cli.chaos.FullDisk.possible()) {
            throw new BadInputException("--full-disk mounts a tmpfs and needs root");
        }
        LocalCluster cluster = new LocalCluster(ThrowawayCluster.directory(dir, "escrow-chaos"), terminal.err());
        return ThrowawayCluster.run(cluster, "chaos", terminal.err(), c -> {
            ChaosReport report = new ChaosRun(c, settings, terminal.err()).run(softwareVault);
            String table = report.render();
            Files.writeString(c.layout().dir().resolve("chaos-report.md"), table);
            terminal.out().print(table);
            terminal.out().flush();
            return report.violations().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        });
    }

    /**
     * {@code --partitions}: the members stop before the namespaces go; the namespaces also go on
     * Ctrl-C (their own shutdown hook), with any process left in them.
     */
    private int partitionRun() throws Exception {
        if (!NetworkNamespaces.possible()) {
            throw new BadInputException("--partitions makes network namespaces: it needs root, ip (iproute2) and socat");
        }
        List<String> members = new ArrayList<>(List.of(ClusterLayout.COORDINATOR));
        for (int i = 1; i <= ChaosSettings.NODES; i++) {
            members.add(ClusterLayout.nodeId(i));
        }
        LocalCluster cluster = new LocalCluster(ThrowawayCluster.directory(dir, "escrow-partitions"), terminal.err());
        try (NetworkNamespaces network = new NetworkNamespaces(members)) {
            return ThrowawayCluster.run(cluster, "chaos", terminal.err(), c -> {
                PartitionReport report = new PartitionRun(c, network, terminal.err()).run(softwareVault);
                String table = report.render();
                Files.writeString(c.layout().dir().resolve("partition-report.md"), table);
                terminal.out().print(table);
                terminal.out().flush();
                return report.violations().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
            });
        }
    }
}
