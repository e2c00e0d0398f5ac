package dev.keyescrow.cli;

import dev.keyescrow.cli.chaos.ChaosReport;
import dev.keyescrow.cli.chaos.ChaosRun;
import dev.keyescrow.cli.chaos.ChaosSettings;
import dev.keyescrow.cli.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
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
            + " nodes and the coordinator (one or two at once), SIGSTOP pauses, a corrupted token, and with --full-disk"
            + " a full disk.",
            "Then check the invariants on every journal and print one table. The same seed gives the same fault"
            + " schedule (written to chaos-schedule.txt). Exit 0 when no invariant is violated, 1 otherwise."})
final class ChaosCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--minutes", paramLabel = "M", required = true,
            description = "how long operations and faults run (fractions allowed)")
    double minutes;

    @Option(names = "--seed", paramLabel = "N", required = true, description = "the seed of the faults and operations")
    long seed;

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

    @Option(names = "--software-vault", description = "use the development vault even where SoftHSM2 is installed")
    boolean softwareVault;

    ChaosCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        ChaosSettings settings;
        try {
            settings = new ChaosSettings(minutes, seed, faultGap, workers, fullDisk);
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
}
