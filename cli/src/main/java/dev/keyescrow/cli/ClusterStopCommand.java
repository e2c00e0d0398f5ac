package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.LocalCluster;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code escrow cluster stop --dir DIR}: stops every process the cluster recorded, by process id. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop every process of the cluster in DIR (by the process ids it recorded, never by name).")
final class ClusterStopCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the cluster's directory")
    Path dir;

    ClusterStopCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        int stopped = new LocalCluster(dir, terminal.out()).stopAll();
        terminal.out().println("stopped " + stopped + " process" + (stopped == 1 ? "" : "es"));
        return ExitCodes.OK;
    }
}
