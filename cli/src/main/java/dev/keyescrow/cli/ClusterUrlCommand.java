package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberProcess;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escrow cluster url --dir DIR MEMBER}: one member's URL, for scripts that rehearse the
 * ceremony on a development cluster ({@code NODE1=$(escrow cluster url --dir DIR node-1)}).
 */
@Command(name = "url", mixinStandardHelpOptions = true,
        description = "Print the URL of one member (coordinator or node-N) of the cluster in DIR.")
final class ClusterUrlCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the cluster's directory")
    Path dir;

    @Parameters(paramLabel = "MEMBER", description = "coordinator, or a node id such as node-1")
    String member;

    ClusterUrlCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        LocalCluster cluster = ClusterCommand.started(dir, terminal);
        Optional<MemberProcess> found = LocalCluster.recorded(cluster.layout()).stream()
                .filter(m -> m.id().equals(member)).findFirst();
        if (found.isEmpty()) {
            throw new BadInputException("no member " + member + " in the cluster in " + dir);
        }
        terminal.out().println(found.get().url());
        return ExitCodes.OK;
    }
}
