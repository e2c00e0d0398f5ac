package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code escrow cluster status --dir DIR}: which members are up, which died. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Say which members of the cluster in DIR are"
        + " up (process alive and /v1/health/ready answers 200) and which died.")
final class ClusterStatusCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the cluster's directory")
    Path dir;

    ClusterStatusCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        LocalCluster cluster = ClusterCommand.started(dir, terminal);
        List<MemberProcess> alive = cluster.running();
        List<MemberProcess> recorded = LocalCluster.recorded(cluster.layout());
        int up = 0;
        for (MemberProcess m : recorded) {
            boolean running = alive.stream().anyMatch(a -> a.pid() == m.pid());
            boolean healthy = running && cluster.healthy(m.url());
            up += healthy ? 1 : 0;
            terminal.out().println(String.format("%-12s %-7s pid %-8d %s", m.id(), healthy ? "up" : running
                    ? "starting" : "died", m.pid(), m.url()));
        }
        return up == recorded.size() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
