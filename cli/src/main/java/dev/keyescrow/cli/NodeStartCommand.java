package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.MemberClock;
import dev.keyescrow.node.NodeProcess;
import dev.keyescrow.node.config.NodeConfigException;
import dev.keyescrow.node.config.NodeConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code escrow node start --config FILE}: runs a custodian node in the foreground until it is stopped. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Run a custodian node in the foreground (stop it with SIGTERM or Ctrl-C).")
final class NodeStartCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the node's configuration file")
    Path config;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "write this process's id to FILE at start")
    Path pidFile;

    NodeStartCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        PidFile.write(pidFile);
        NodeConfig node;
        try {
            node = NodeConfig.load(config);
        } catch (NodeConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!MemberFiles.privateOrRefused(terminal, "node start", config, node.privatePaths())) {
            return ExitCodes.FAILURE;
        }
        Clock clock;
        try {
            clock = MemberClock.of(node.dev(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        NodeProcess process;
        try {
            process = NodeProcess.start(node, clock);
        } catch (Exception e) {
            terminal.err().println("escrow node start: node " + node.nodeId() + " did not start: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return ExitCodes.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.close();
            stopped.countDown();
        }, "node-shutdown"));
        terminal.out().println("node " + node.nodeId() + " listening on " + (node.tlsCertificate() == null ? "http"
                : "https") + "://" + node.httpHost() + ":" + process.httpPort() + (node.dev() ? " (development mode"
                + MemberClock.describe(System.getenv()) + ")" : ""));
        terminal.out().flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
