package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code escrow cluster}: a local development cluster, like a dev server. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start, stop or inspect a local development cluster (nodes and a coordinator on loopback).")
final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: start, stop, status or url");
    }

    /** The cluster started in {@code dir}, or bad input when none was. */
    static LocalCluster started(Path dir, Terminal terminal) throws Exception {
        LocalCluster cluster = new LocalCluster(dir, terminal.out());
        if (!Files.exists(cluster.layout().processes())) {
            throw new BadInputException("no cluster was started in " + dir);
        }
        return cluster;
    }
}
